using System.Xml.Linq;

namespace PbxModules.Sdk.Tests.Packaging;

/// <summary>
/// Packs PbxModules.Sdk and PbxModules.Sdk.Testing once, with <c>dotnet pack --no-build</c> on what the
/// suite's build made, into a temporary folder: the packages a module author restores. The pack runs
/// package validation against the last released version (sdk/baseline/), so an API break fails it here.
/// </summary>
public sealed class SdkPackagesFixture : IAsyncLifetime
{
    public static readonly string[] Projects = ["PbxModules.Sdk", "PbxModules.Sdk.Testing"];

    public string Output { get; } = Directory.CreateTempSubdirectory("pbxmodules-sdk-packages-").FullName;

    /// <summary>The version written in sdk/Directory.Build.props.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Each project's pack: its exit code and output.</summary>
    public Dictionary<string, (int ExitCode, string Output)> Packs { get; } = [];

    public async Task InitializeAsync()
    {
        var root = RepositoryRoot();
        Version = XDocument.Load(Path.Combine(root, "sdk", "Directory.Build.props")).Descendants("PbxModulesSdkVersion").Single().Value.Trim();
        foreach (var project in Projects)
            Packs[project] = await PackAsync(Path.Combine(root, "sdk", project, project + ".csproj"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Output, recursive: true);
        return Task.CompletedTask;
    }

    private Task<(int, string)> PackAsync(string project)
        => DotnetCli.RunAsync(null, null, "pack", project, "--no-build", "--nologo", "-c", Configuration, "-o", Output, "-p:NuGetAudit=false");

    /// <summary>The configuration this test assembly was built in: the SDK projects were built in it too.</summary>
    private static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PbxModules.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No PbxModules.sln above {AppContext.BaseDirectory}.");
    }
}
