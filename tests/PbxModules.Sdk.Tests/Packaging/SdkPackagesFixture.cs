namespace PbxModules.Sdk.Tests.Packaging;

/// <summary>
/// Packs PbxModules.Sdk and PbxModules.Sdk.Testing once, with <c>dotnet pack --no-build</c> on what the
/// suite's build made, into a temporary folder: the packages a module author restores, with the daemon as a
/// library (PbxModules.Host, PbxModules.Asterisk) that the test kit depends on, and the templates package
/// (<see cref="TemplatesProject"/>) beside them, what `dotnet new install` takes. The pack runs
/// package validation against the last released version (sdk/baseline/), so an API break fails it here.
/// Shared by the classes of <see cref="SdkPackagesCollection"/>: one pack per run, and never two packs of one
/// project at once (both would write its obj/ nuspec).
/// </summary>
public sealed class SdkPackagesFixture : IAsyncLifetime
{
    public static readonly string[] Projects = ["PbxModules.Sdk", "PbxModules.Sdk.Testing"];

    /// <summary>The daemon as a library for the test kit: packed too, so that the feed holds everything the test kit depends on.</summary>
    public static readonly string[] HostLibraries = ["PbxModules.Asterisk", "PbxModules.Host"];

    /// <summary>The `dotnet new` templates (sdk/templates/): no library, so not one of <see cref="Projects"/>.</summary>
    public const string TemplatesProject = "PbxModules.Templates";

    public string Output { get; } = Directory.CreateTempSubdirectory("pbxmodules-sdk-packages-").FullName;

    /// <summary>The version written in sdk/PbxModules.Sdk/build/PbxModules.Sdk.Version.props.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Each project's pack: its exit code and output.</summary>
    public Dictionary<string, (int ExitCode, string Output)> Packs { get; } = [];

    public async Task InitializeAsync()
    {
        Version = Repository.DeclaredSdkVersion();
        foreach (var project in Projects)
            Packs[project] = await PackAsync(Path.Combine(Repository.Root, "sdk", project, project + ".csproj"));
        foreach (var project in HostLibraries)
            Packs[project] = await PackAsync(Path.Combine(Repository.Root, "host", project, project + ".csproj"));
        Packs[TemplatesProject] = await PackAsync(Path.Combine(Repository.Root, "sdk", "templates", TemplatesProject, TemplatesProject + ".csproj"));
    }

    /// <summary>
    /// Writes <c>nuget.config</c> into <paramref name="folder"/> for a project below it, outside the repository:
    /// this feed, then the machine's global packages folder as a second source for what the SDK and the tests
    /// depend on (the restore cache, offline), restored into <c>packages/</c> of the folder, so that no earlier
    /// SDK package of the same version, cached elsewhere, is used instead of this build's.
    /// </summary>
    /// <returns>That packages folder, for the restore's <c>NUGET_PACKAGES</c>.</returns>
    public string WriteOfflineNuGetConfig(string folder)
    {
        var restored = Path.Combine(folder, "packages");
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{restored}" /></config>
              <packageSources>
                <clear />
                <add key="sdk" value="{Output}" />
                <add key="cache" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);
        return restored;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Output, recursive: true);
        return Task.CompletedTask;
    }

    private Task<(int, string)> PackAsync(string project)
        => DotnetCli.RunAsync(null, null, "pack", project, "--no-build", "--nologo", "-c", Configuration, "-o", Output, "-p:NuGetAudit=false");

    /// <summary>The configuration this test assembly was built in: the SDK projects were built in it too.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif
}

/// <summary>The tests that use the packed SDK packages: they share one <see cref="SdkPackagesFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SdkPackagesCollection : ICollectionFixture<SdkPackagesFixture>
{
    public const string Name = "SDK packages";
}
