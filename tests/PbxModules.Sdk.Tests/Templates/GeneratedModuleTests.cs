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
/// host in-process, through PbxModules.Sdk.Testing) and packs as a module package; the package is signed
/// and installed on a running daemon, which then answers a call to its AGI handler and serves its REST
/// resource, and is uninstalled (<see cref="SignedModuleOnDaemon"/>). Restore is offline, as in
/// <see cref="OutsideModuleTests"/>: the feed, and this machine's global packages folder as a second source
/// for the public packages (xunit, EF Core…), into a packages folder of the test's own.
/// </summary>
[Collection(SdkPackagesCollection.Name)]
public sealed partial class GeneratedModuleTests(SdkPackagesFixture packages) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-generated-module-").FullName;

    [Fact]
    public async Task A_generated_module_builds_passes_its_tests_packs_and_installs_signed_on_a_daemon()
    {
        Assert.False(_root.StartsWith(Repository.Root, StringComparison.Ordinal), "The module must be generated outside the repository.");
        var templates = await DotnetNew.InstallAsync(packages, Path.Combine(_root, "home"));
        var folder = Path.Combine(_root, "ModuleFoo");
        await templates.CreateAsync("ModuleFoo", folder);
        // Above the generated folder, so the folder itself stays as `dotnet new` wrote it.
        packages.WriteOfflineNuGetConfig(_root);

        var build = await DotnetAsync(folder, "build", "--nologo", "-c", "Release");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Matches(@"\b0 Warning\(s\)", build.Output);

        var test = await DotnetAsync(folder, "test", "--nologo", "--no-build", "-c", "Release");
        Assert.True(test.ExitCode == 0, Quoted(test.Output));
        var summary = TestSummary().Match(test.Output);
        Assert.True(summary.Success, Quoted(test.Output));
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 10, Quoted(test.Output));

        var pack = await DotnetAsync(folder, "pack", "--nologo", "--no-build", "-c", "Release", "-o", Path.Combine(_root, "out"));
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.Equal(["module-foo.1.0.0.nupkg"], Directory.GetFiles(Path.Combine(_root, "out")).Select(Path.GetFileName));
        var nupkg = Path.Combine(_root, "out", "module-foo.1.0.0.nupkg");
        AssertModulePackage(nupkg);

        await InstallSignedAsync(nupkg);
    }

    /// <summary>A module package: type PbxModule, the module folder with its generated manifest, nothing the host shares.</summary>
    private void AssertModulePackage(string nupkg)
    {
        using var package = ZipFile.OpenRead(nupkg);
        using (var nuspec = package.GetEntry("module-foo.nuspec")!.Open())
            Assert.Equal("PbxModule", (string?)XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name"));
        Assert.NotNull(package.GetEntry("module/ModuleFoo.dll"));
        Assert.DoesNotContain(package.Entries, e => e.Name.StartsWith("PbxModules.", StringComparison.Ordinal) || e.Name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        using var manifest = JsonDocument.Parse(package.GetEntry("module/module.json")!.Open());
        Assert.Equal("module-foo", manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal("ModuleFoo.dll", manifest.RootElement.GetProperty("assembly").GetString());
        // No PbxModuleSdkRange in the generated project: the default, ^<major>.<minor>.0 of the SDK it built against.
        Assert.Equal($"^{string.Join('.', packages.Version.Split('.').Take(2))}.0", manifest.RootElement.GetProperty("sdk").GetString());
    }

    private async Task InstallSignedAsync(string nupkg)
    {
        await using var pbx = new SignedModuleOnDaemon(Path.Combine(_root, "daemon"));
        await pbx.SignAsync(nupkg);
        await pbx.StartAsync();

        Assert.Contains("Module 'module-foo' 1.0.0 installed and enabled.", await pbx.CliAsync("module", "install", nupkg), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^module-foo\s+1\.0\.0\s+Enabled\s+yes \(CN=PbxModules template test vendor\)", await pbx.CliAsync("module", "list"));
        // Its install hook ran (once, for the install): the module's own log line, in the daemon's output.
        await pbx.Daemon.WaitForOutputAsync("ModuleFoo 1.0.0 installed", TimeSpan.FromSeconds(60));

        var created = await pbx.PostAsync("/pbxcore/api/v3/module-foo/greetings", new { callerId = "+15550900", sound = "custom/installed" });
        Assert.Equal("custom/installed", created.GetProperty("data").GetProperty("sound").GetString());
        Assert.Equal("custom/installed", (await pbx.CallAsync("module-foo/greet", "+15550900")).GetProperty("FOO_GREETING").GetString());
        Assert.Equal("hello-world", (await pbx.CallAsync("module-foo/greet", "+15550901")).GetProperty("FOO_GREETING").GetString());

        var database = Path.Combine(pbx.Daemon.Root, "var", "data", "modules", "module-foo.db");
        Assert.True(File.Exists(database), $"The module's database is not at {database}.");
        Assert.Contains("module-foo", await pbx.CliAsync("module", "uninstall", "module-foo", "--purge"), StringComparison.Ordinal);
        Assert.DoesNotContain("module-foo", await pbx.CliAsync("module", "list"), StringComparison.Ordinal);
        Assert.False(File.Exists(database), "--purge left the module's database");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // NuGetAudit off: the offline sources have no vulnerability data, and its warning would be an error here.
    private Task<(int ExitCode, string Output)> DotnetAsync(string folder, params string[] arguments)
        => DotnetCli.RunAsync(folder, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") }, [.. arguments, "-p:NuGetAudit=false"]);

    /// <summary>
    /// The generated tests' output for a failure message, with their summary lines defused: .ci/run adds up every
    /// "Passed: N" and "Failed! - Failed: N" it sees, and these are not this suite's counts.
    /// </summary>
    private static string Quoted(string output)
        => output.Replace("Passed!", "passed!", StringComparison.Ordinal).Replace("Failed!", "failed!", StringComparison.Ordinal).Replace("Passed:", "passed:", StringComparison.Ordinal);

    [GeneratedRegex(@"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+)")]
    private static partial Regex TestSummary();
}
