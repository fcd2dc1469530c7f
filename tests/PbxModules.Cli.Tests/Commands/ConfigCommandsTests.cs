using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxModules.Cli.Tests.Commands;

/// <summary><c>config check</c>: the daemon's own <c>--check-config</c>, on configuration files in a folder of the test's.</summary>
public sealed class ConfigCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pbxmodules-cli-config-").FullName;

    [Fact]
    public async Task The_daemons_own_settings_with_an_existing_modules_folder_are_valid()
    {
        WriteSettings(_ => { });
        var run = await CheckAsync();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("The configuration is valid (environment Production", run.Output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder, "appsettings.json"), run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
        // Nothing was started: no data folder, no socket, no database.
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")));
    }

    [Fact]
    public async Task A_bad_value_exits_1_with_a_message_that_names_the_key()
    {
        WriteSettings(settings => settings["Rest"]!["MaxJsonBodyBytes"] = 5);
        var run = await CheckAsync();
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Rest:MaxJsonBodyBytes must be between 1024 and 1073741824 bytes.", run.Error, StringComparison.Ordinal);
        Assert.Contains("The configuration is not valid", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_modules_folder_in_Production_is_named_and_json_says_not_valid()
    {
        WriteSettings(settings => settings["Paths"]!["Modules"] = Path.Combine(_folder, "no-such-folder"));
        var run = await CheckAsync("--json");
        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Contains(json.RootElement.GetProperty("messages").EnumerateArray(), m => m.GetString()!.Contains("Paths:Modules", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Rest_Url_the_listener_would_refuse_is_reported()
    {
        WriteSettings(settings => settings["Rest"]!["Url"] = "http://example.org:8090");
        var run = await CheckAsync();
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Rest:Url host 'example.org' must be an IP address or 'localhost'.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_that_is_not_there_says_to_pass_daemon()
    {
        var run = await CliRun.RunAsync(null, "config", "check", "--daemon", Path.Combine(_folder, "PbxModules.Host.dll"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("pass --daemon", run.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<CliRun> CheckAsync(params string[] more)
        => CliRun.RunAsync(null, ["config", "check", "--daemon", CliDaemon.DaemonAssemblyPath, "--config-dir", _folder, "--environment", "Production", .. more]);

    // The daemon's shipped appsettings.json, with the modules folder made absolute (the check resolves relative paths against the test's working directory).
    private void WriteSettings(Action<JsonNode> change)
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(CliDaemon.DaemonAssemblyPath)!, "appsettings.json")))!;
        var modules = Directory.CreateDirectory(Path.Combine(_folder, "modules")).FullName;
        shipped["Paths"]!["Modules"] = modules;
        shipped["Paths"]!["Data"] = Path.Combine(_folder, "data");
        change(shipped);
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), shipped.ToJsonString());
    }
}
