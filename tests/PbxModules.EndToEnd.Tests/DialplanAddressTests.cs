using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>The address the hooks dial: what Asterisk can reach, whatever the FastAGI listener binds.</summary>
public sealed class DialplanAddressTests
{
    [Fact]
    public async Task A_daemon_listening_on_every_interface_writes_hooks_that_dial_loopback()
    {
        await using var daemon = await TestDaemon.StartAsync(settings: new Dictionary<string, string> { ["Agi:Address"] = "*" });

        using var dialplan = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/dialplan"));
        var text = dialplan.RootElement.GetProperty("data").GetProperty("text").GetString()!;
        Assert.Contains($"AGI(agi://127.0.0.1:{daemon.AgiPort}/module-black-list/check", text, StringComparison.Ordinal);
        Assert.DoesNotContain("agi://*", text, StringComparison.Ordinal);
        Assert.Equal(text, await File.ReadAllTextAsync(Path.Combine(daemon.Root, "var", "asterisk", "extensions_modules.conf")));
    }

    [Fact]
    public async Task A_wildcard_Agi_DialplanAddress_stops_the_start_with_exit_code_1_naming_the_key()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-dialplan-").FullName;
        try
        {
            var (exitCode, output) = await TestDaemon.RunToExitAsync(root, new Dictionary<string, string> { ["Agi:DialplanAddress"] = "0.0.0.0" },
                DaemonLaunch.Development, TimeSpan.FromSeconds(90));

            Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
            Assert.Contains("Agi:DialplanAddress '0.0.0.0' is a wildcard", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
