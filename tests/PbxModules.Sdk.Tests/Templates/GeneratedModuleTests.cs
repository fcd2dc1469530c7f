using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PbxModules.Sdk.Tests.Packaging;

namespace PbxModules.Sdk.Tests.Templates;

/// <summary>
/// `dotnet new pbxmodule -n ModuleFoo` as a module author runs it, in a temporary folder outside the
/// repository: the generated module restores against the SDK packages of this build (the fixture's folder
/// feed) and nothing of this repository, builds with warnings as errors, passes its own tests (the real
/// host in-process, through PbxModules.Sdk.Testing) and packs as a module package. Restore is offline, as in
/// <see cref="OutsideModuleTests"/>: the feed, and this machine's global packages folder as a second source
/// for the public packages (xunit, EF Core…), into a packages folder of the test's own.
/// </summary>
[Collection(SdkPackagesCollection.Name)]
public sealed partial class GeneratedModuleTests(SdkPackagesFixture packages) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-generated-module-").FullName;

    [Fact]
    public async Task A_generated_module_builds_passes_its_tests_and_packs_as_a_module_package()
    {
        Assert.False(_root.StartsWith(Repository.Root, StringComparison.Ordinal), "The module must be generated outside the repository.");
        var templates = await DotnetNew.InstallAsync(packages, Path.Combine(_root, "home"));
        var folder = Path.Combine(_root, "ModuleFoo");
        await templates.CreateAsync("ModuleFoo", folder);
        WriteNuGetConfig();

        var build = await DotnetAsync(folder, "build", "--nologo", "-c", "Release");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Matches(@"\b0 Warning\(s\)", build.Output);

        var test = await DotnetAsync(folder, "test", "--nologo", "--no-build", "-c", "Release");
        Assert.True(test.ExitCode == 0, test.Output);
        var summary = TestSummary().Match(test.Output);
        Assert.True(summary.Success, test.Output);
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10, test.Output);

        var pack = await DotnetAsync(folder, "pack", "--nologo", "--no-build", "-c", "Release", "-o", Path.Combine(_root, "out"));
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.Equal(["module-foo.1.0.0.nupkg"], Directory.GetFiles(Path.Combine(_root, "out")).Select(Path.GetFileName));
        using var package = ZipFile.OpenRead(Path.Combine(_root, "out", "module-foo.1.0.0.nupkg"));
        using (var nuspec = package.GetEntry("module-foo.nuspec")!.Open())
            Assert.Equal("PbxModule", (string?)XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name"));
        Assert.NotNull(package.GetEntry("module/ModuleFoo.dll"));
        Assert.DoesNotContain(package.Entries, e => e.Name.StartsWith("PbxModules.", StringComparison.Ordinal) || e.Name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        using var manifest = JsonDocument.Parse(package.GetEntry("module/module.json")!.Open());
        Assert.Equal("module-foo", manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal("ModuleFoo.dll", manifest.RootElement.GetProperty("assembly").GetString());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Above the generated folder, so the folder itself stays as `dotnet new` wrote it.</summary>
    private void WriteNuGetConfig()
    {
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_root, "packages")}" /></config>
              <packageSources>
                <clear />
                <add key="sdk" value="{packages.Output}" />
                <add key="cache" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);
    }

    // NuGetAudit off: the offline sources have no vulnerability data, and its warning would be an error here.
    private Task<(int ExitCode, string Output)> DotnetAsync(string folder, params string[] arguments)
        => DotnetCli.RunAsync(folder, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") }, [.. arguments, "-p:NuGetAudit=false"]);

    [GeneratedRegex(@"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+)")]
    private static partial Regex TestSummary();
}
