using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace PbxModules.Cli.Tests.Commands;

/// <summary>
/// <c>module install | available | upgrade | uninstall</c> with real packages against the real daemon, and
/// <c>agi call</c> on what they installed: the daemon's own JSON and messages, as an administrator sees them.
/// </summary>
public sealed class ModulePackageCommandsTests(PackageCliDaemon daemon) : IClassFixture<PackageCliDaemon>
{
    private const string Id = PackageCliDaemon.VersionedId;

    [Fact]
    public async Task A_signed_file_installs_then_upgrades_downgrades_only_when_asked_and_uninstalls_keeping_then_purging_data()
    {
        var offered = await OkAsync("module", "available");
        Assert.Matches($@"(?m)^{Id}\s+2\.0\.0\s+2\.0\.0, 1\.1\.0, 1\.0\.0\s*$", offered.Output);

        var installed = await OkAsync("module", "install", daemon.SignedVersioned);
        Assert.Contains($"Module '{Id}' 1.0.0 installed and enabled.", installed.Output, StringComparison.Ordinal);

        var list = await OkAsync("module", "list");
        Assert.Matches($@"(?m)^{Id}\s+1\.0\.0\s+Enabled\s+yes \({PackageCliDaemon.VendorSubject}\)\s+VersionedModule", list.Output);
        using (var json = JsonDocument.Parse((await OkAsync("module", "list", "--json")).Output))
        {
            var package = json.RootElement.EnumerateArray().Single(m => m.GetProperty("id").GetString() == Id).GetProperty("package");
            Assert.True(package.GetProperty("signed").GetBoolean());
            Assert.Equal(PackageCliDaemon.VendorSubject, package.GetProperty("signerSubject").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(daemon.SignedVersioned))), package.GetProperty("sha256").GetString());
        }

        offered = await OkAsync("module", "available");
        Assert.Matches($@"(?m)^{Id}\s+1\.0\.0\s+2\.0\.0\s+available\s+2\.0\.0, 1\.1\.0, 1\.0\.0\s*$", offered.Output);
        using (var json = JsonDocument.Parse((await OkAsync("module", "available", "--json")).Output))
        {
            var module = json.RootElement.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("id").GetString() == Id);
            Assert.Equal("1.0.0", module.GetProperty("installedVersion").GetString());
            Assert.True(module.GetProperty("updateAvailable").GetBoolean());
        }
        Assert.Equal("1.0.0", await AnsweringVersionAsync());

        // Data the module keeps, to follow through upgrades and uninstalls.
        var marker = Path.Combine(daemon.ModuleDataFolder(Id), "marker.txt");
        await File.WriteAllTextAsync(marker, "kept");

        var upgraded = await OkAsync("module", "upgrade", Id, "--version", "1.1.0");
        Assert.Contains($"Module '{Id}' upgraded from 1.0.0 to 1.1.0.", upgraded.Output, StringComparison.Ordinal);
        Assert.Equal("1.1.0", await AnsweringVersionAsync());

        upgraded = await OkAsync("module", "upgrade", Id);
        Assert.Contains($"Module '{Id}' upgraded from 1.1.0 to 2.0.0.", upgraded.Output, StringComparison.Ordinal);
        Assert.Equal("2.0.0", await AnsweringVersionAsync());
        offered = await OkAsync("module", "available");
        Assert.Matches($@"(?m)^{Id}\s+2\.0\.0\s+2\.0\.0\s+2\.0\.0, 1\.1\.0, 1\.0\.0\s*$", offered.Output);

        var refused = await daemon.RunAsync("module", "upgrade", Id, "--version", "1.0.0");
        Assert.True(refused.ExitCode == ExitCodes.Failed, refused.ToString());
        Assert.Contains($"Module '{Id}' is at 2.0.0; 1.0.0 is older.", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-downgrade", refused.Error, StringComparison.Ordinal);
        Assert.Contains("(code Downgrade, HTTP 409)", refused.Error, StringComparison.Ordinal);
        Assert.Equal("2.0.0", await AnsweringVersionAsync());

        var downgraded = await OkAsync("module", "upgrade", Id, "--version", "1.0.0", "--allow-downgrade");
        Assert.Contains($"Module '{Id}' upgraded from 2.0.0 to 1.0.0.", downgraded.Output, StringComparison.Ordinal);
        Assert.Equal("1.0.0", await AnsweringVersionAsync());
        Assert.Equal("kept", await File.ReadAllTextAsync(marker));

        var uninstalled = await OkAsync("module", "uninstall", Id);
        Assert.Contains($"Module '{Id}' uninstalled; its data was kept.", uninstalled.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Id, (await OkAsync("module", "list")).Output, StringComparison.Ordinal);
        Assert.True(File.Exists(marker));

        var fromFeed = await OkAsync("module", "install", $"{Id}@1.1.0");
        Assert.Contains($"Module '{Id}' 1.1.0 installed and enabled.", fromFeed.Output, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^{Id}\s+1\.1\.0\s+Enabled\s+yes \({PackageCliDaemon.VendorSubject}\)", (await OkAsync("module", "list")).Output);
        Assert.Equal("1.1.0", await AnsweringVersionAsync());
        Assert.Equal("kept", await File.ReadAllTextAsync(marker));

        var purged = await OkAsync("module", "uninstall", Id, "--purge");
        Assert.Contains(Id, purged.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(daemon.ModuleDataFolder(Id)), "--purge left the module's data folder");
        Assert.False(File.Exists(daemon.ModuleDataFolder(Id) + ".db"), "--purge left the module's database");
        Assert.DoesNotContain(Id, (await OkAsync("module", "list")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unsigned", "Unsigned", "Modules:AllowUnsigned")]
    [InlineData("stranger", "UnknownSigner", "Modules:TrustedSigners")]
    [InlineData("tampered", "SignatureInvalid", "")]
    public async Task A_refused_package_prints_the_daemons_reason_and_code_and_exits_1(string which, string code, string named)
    {
        var file = which switch { "unsigned" => daemon.UnsignedGood, "stranger" => daemon.StrangerGood, _ => daemon.TamperedGood };
        var run = await daemon.RunAsync("module", "install", file);
        Assert.True(run.ExitCode == ExitCodes.Failed, run.ToString());
        Assert.Equal("", run.Output);
        Assert.StartsWith("pbx-modules: Package '", run.Error, StringComparison.Ordinal);
        Assert.Contains($"(code {code}, HTTP 422)", run.Error, StringComparison.Ordinal);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(PackageCliDaemon.GoodId, (await OkAsync("module", "list")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_on_no_feed_is_refused_naming_the_feeds()
    {
        var run = await daemon.RunAsync("module", "install", "nosuch@1.0.0");
        Assert.True(run.ExitCode == ExitCodes.Failed, run.ToString());
        Assert.Contains("No module feed (", run.Error, StringComparison.Ordinal);
        Assert.Contains("has 'nosuch'", run.Error, StringComparison.Ordinal);
        Assert.Contains("(code NotFoundOnFeeds, HTTP 404)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrading_a_module_that_is_not_installed_says_to_install_it()
    {
        var run = await daemon.RunAsync("module", "upgrade", PackageCliDaemon.GoodId);
        Assert.True(run.ExitCode == ExitCodes.Failed, run.ToString());
        Assert.Contains($"Module '{PackageCliDaemon.GoodId}' is not installed. Install it instead (pbx-modules module install {PackageCliDaemon.GoodId}", run.Error, StringComparison.Ordinal);
        Assert.Contains("(code NotInstalled, HTTP 404)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_package_file_is_refused_before_anything_is_sent()
    {
        // A daemon's place that records whether anyone connected: the CLI must not.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var missing = Path.Combine(daemon.Files, "nowhere", "test-good.2.0.0.nupkg");

        var run = await CliRun.RunAsync(null, "module", "install", missing, "--url", url);
        Assert.True(run.ExitCode == ExitCodes.Failed, run.ToString());
        Assert.Equal($"pbx-modules: No file {missing}: pass the path of a .nupkg, or a module id (id or id@version) to install from the feeds.\n", run.Error.ReplaceLineEndings("\n"));
        Assert.False(listener.Pending(), "the CLI connected to the daemon for a file it does not have");
    }

    private async Task<CliRun> OkAsync(params string[] args)
    {
        var run = await daemon.RunAsync(args);
        Assert.True(run.ExitCode == 0, $"pbx-modules {string.Join(' ', args)}: {run}");
        return run;
    }

    // What test-versioned's version handler sets: the version of the module that answered the call.
    private async Task<string> AnsweringVersionAsync()
    {
        var run = await OkAsync("agi", "call", $"{Id}/version", "--port", daemon.Daemon.AgiPort.ToString(CultureInfo.InvariantCulture), "--json");
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.GetProperty("variables").GetProperty("VERSIONED_VERSION").GetString()!;
    }
}

/// <summary>With <c>Modules:AllowUnsigned</c>: an unsigned package installs and <c>module list</c> says UNSIGNED; a tampered one is still refused.</summary>
public sealed class UnsignedModulePackageCommandsTests(UnsignedAllowedCliDaemon daemon) : IClassFixture<UnsignedAllowedCliDaemon>
{
    [Fact]
    public async Task An_unsigned_package_installs_and_is_listed_UNSIGNED_and_a_tampered_one_is_still_refused()
    {
        var tampered = await daemon.RunAsync("module", "install", daemon.TamperedGood);
        Assert.True(tampered.ExitCode == ExitCodes.Failed, tampered.ToString());
        Assert.Contains("(code SignatureInvalid, HTTP 422)", tampered.Error, StringComparison.Ordinal);

        var installed = await daemon.RunAsync("module", "install", daemon.UnsignedGood);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        Assert.Contains($"Module '{PackageCliDaemon.GoodId}' 1.0.0 installed and enabled.", installed.Output, StringComparison.Ordinal);

        var list = await daemon.RunAsync("module", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches($@"(?m)^{PackageCliDaemon.GoodId}\s+1\.0\.0\s+Enabled\s+UNSIGNED\s", list.Output);
        var json = await daemon.RunAsync("module", "info", PackageCliDaemon.GoodId, "--json");
        using var info = JsonDocument.Parse(json.Output);
        Assert.False(info.RootElement.GetProperty("package").GetProperty("signed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, info.RootElement.GetProperty("package").GetProperty("signer").ValueKind);
    }
}
