using System.Globalization;
using System.Text.Json;

namespace PbxModules.Cli.Tests.Commands;

/// <summary><c>apikey create | list | revoke</c>, and the key at work over <c>--url</c>.</summary>
[Collection(CliDaemonCollection.Name)]
public sealed class ApiKeyCommandsTests(CliDaemon daemon)
{
    [Fact]
    public async Task A_key_created_works_over_url_is_listed_and_once_revoked_is_refused_with_what_to_do()
    {
        var created = await daemon.RunAsync("apikey", "create", "cli-test", "--permission", "Modules:Read", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        string key;
        int id;
        using (var json = JsonDocument.Parse(created.Output))
        {
            key = json.RootElement.GetProperty("key").GetString()!;
            id = json.RootElement.GetProperty("apiKey").GetProperty("id").GetInt32();
        }

        var overTcp = await CliRun.RunAsync(new Dictionary<string, string> { ["PBX_MODULES_API_KEY"] = key }, "module", "list", "--url", daemon.Url);
        Assert.True(overTcp.ExitCode == 0, overTcp.ToString());
        Assert.Contains(CliDaemon.ModuleId, overTcp.Output, StringComparison.Ordinal);

        var list = await daemon.RunAsync("apikey", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var row = Assert.Single(list.Output.Split('\n'), l => l.Contains("cli-test", StringComparison.Ordinal) && l.StartsWith(id.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal));
        Assert.Contains("Modules:Read", row, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Output, StringComparison.Ordinal);

        var revoked = await daemon.RunAsync("apikey", "revoke", id.ToString(CultureInfo.InvariantCulture));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Contains($"API key {id} revoked.", revoked.Output, StringComparison.Ordinal);

        var refused = await CliRun.RunAsync(new Dictionary<string, string> { ["PBX_MODULES_API_KEY"] = key }, "module", "list", "--url", daemon.Url);
        Assert.Equal(ExitCodes.Unauthorized, refused.ExitCode);
        Assert.Contains("PBX_MODULES_API_KEY", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_prints_the_key_once_for_people()
    {
        var created = await daemon.RunAsync("apikey", "create", "cli-people", "--role", "admin");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Matches(@"(?m)^Key: [0-9a-f]{64}\s*$", created.Output);
        Assert.Contains("shown this once", created.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_daemon_does_not_know_over_url_exits_4_and_says_to_set_the_variable()
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["PBX_MODULES_API_KEY"] = new string('0', 64) }, "module", "list", "--url", daemon.Url);
        Assert.Equal(ExitCodes.Unauthorized, run.ExitCode);
        Assert.Contains("refused the API key in PBX_MODULES_API_KEY", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task A_key_without_the_permission_is_403_with_what_to_do()
    {
        var created = await daemon.RunAsync("apikey", "create", "cli-reader", "--permission", "Modules:Read", "--json");
        using var json = JsonDocument.Parse(created.Output);
        var key = json.RootElement.GetProperty("key").GetString()!;
        var run = await CliRun.RunAsync(new Dictionary<string, string> { ["PBX_MODULES_API_KEY"] = key }, "module", "disable", CliDaemon.ModuleId, "--url", daemon.Url);
        Assert.Equal(ExitCodes.Unauthorized, run.ExitCode);
        Assert.Contains("Use an API key that holds this permission", run.Error, StringComparison.Ordinal);
    }
}
