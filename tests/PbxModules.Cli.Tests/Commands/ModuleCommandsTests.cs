using System.Text.Json;

namespace PbxModules.Cli.Tests.Commands;

/// <summary><c>module list | info | enable | disable</c> against the real daemon, over its socket.</summary>
[Collection(CliDaemonCollection.Name)]
public sealed class ModuleCommandsTests(CliDaemon daemon)
{
    [Fact]
    public async Task Module_list_shows_an_aligned_table_of_the_installed_modules()
    {
        var run = await daemon.RunAsync("module", "list");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.StartsWith(CliDaemon.ModuleId, StringComparison.Ordinal));
        Assert.Contains("Enabled", row, StringComparison.Ordinal);
        // Columns line up: each header starts where its values start.
        Assert.Equal(lines[0].IndexOf("STATE", StringComparison.Ordinal), row.IndexOf("Enabled", StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("VERSION", StringComparison.Ordinal), row.IndexOf("1.0.0", StringComparison.Ordinal));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Module_list_json_is_the_data_of_the_envelope()
    {
        var run = await daemon.RunAsync("module", "list", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var module = Assert.Single(json.RootElement.EnumerateArray(), m => m.GetProperty("id").GetString() == CliDaemon.ModuleId);
        Assert.Equal("Enabled", module.GetProperty("state").GetString());
        Assert.Equal("1.0.0", module.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Module_info_shows_one_module()
    {
        var run = await daemon.RunAsync("module", "info", CliDaemon.ModuleId);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"(?m)^id:\s+module-black-list\s*$", run.Output);
        Assert.Matches(@"(?m)^state:\s+Enabled\s*$", run.Output);
        Assert.Matches(@"(?m)^name:\s+ModuleBlackList\s*$", run.Output);
    }

    [Fact]
    public async Task Disable_then_enable_changes_the_state_the_list_shows()
    {
        var disabled = await daemon.RunAsync("module", "disable", CliDaemon.ModuleId);
        try
        {
            Assert.True(disabled.ExitCode == 0, disabled.ToString());
            Assert.Contains("disabled", disabled.Output, StringComparison.OrdinalIgnoreCase);
            var list = await daemon.RunAsync("module", "list");
            Assert.Contains(list.Output.Split('\n'), l => l.StartsWith(CliDaemon.ModuleId, StringComparison.Ordinal) && l.Contains("Disabled", StringComparison.Ordinal));
        }
        finally
        {
            var enabled = await daemon.RunAsync("module", "enable", CliDaemon.ModuleId);
            Assert.True(enabled.ExitCode == 0, enabled.ToString());
            Assert.Contains("enabled", enabled.Output, StringComparison.OrdinalIgnoreCase);
        }
        var info = await daemon.RunAsync("module", "info", CliDaemon.ModuleId, "--json");
        using var json = JsonDocument.Parse(info.Output);
        Assert.Equal("Enabled", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_unknown_module_is_the_daemons_404_message_and_exit_code_1()
    {
        var run = await daemon.RunAsync("module", "info", "no-such-module");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("No module 'no-such-module' is installed.", run.Error, StringComparison.Ordinal);

        var enable = await daemon.RunAsync("module", "enable", "no-such-module");
        Assert.Equal(1, enable.ExitCode);
        Assert.Contains("no-such-module", enable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_with_file_uploads_the_package_to_the_upgrade_route_and_says_what_the_daemon_refused()
    {
        var notAPackage = Path.Combine(daemon.Daemon.Root, "not-a-package.nupkg");
        await File.WriteAllTextAsync(notAPackage, "this is text, not a zip");

        // Only an upload reaches the package verifier: a request from the feeds would never say "not a readable NuGet package".
        var run = await daemon.RunAsync("module", "upgrade", CliDaemon.ModuleId, "--file", notAPackage);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not a readable NuGet package", run.Error, StringComparison.Ordinal);

        var missing = await daemon.RunAsync("module", "upgrade", CliDaemon.ModuleId, "--file", notAPackage + ".gone");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No file ", missing.Error, StringComparison.Ordinal);

        var both = await daemon.RunAsync("module", "upgrade", CliDaemon.ModuleId, "--file", notAPackage, "--version", "1.1.0");
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--file and --version", both.Error, StringComparison.Ordinal);

        var list = await daemon.RunAsync("module", "list");
        Assert.Contains(list.Output.Split('\n'), l => l.StartsWith(CliDaemon.ModuleId, StringComparison.Ordinal) && l.Contains("Enabled", StringComparison.Ordinal));
    }
}
