using System.Text.Json;

namespace PbxModules.Cli.Tests.Commands;

/// <summary><c>ami status</c>: the daemon's AMI connection to the simulated Asterisk.</summary>
[Collection(CliDaemonCollection.Name)]
public sealed class AmiCommandsTests(CliDaemon daemon)
{
    [Fact]
    public async Task Status_shows_the_daemon_logged_in_where_and_exits_0()
    {
        var run = await daemon.RunAsync("ami", "status");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("AMI: Healthy", run.Output, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{daemon.Asterisk.Port}", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^state\s+Connected\s*$", run.Output);
    }

    [Fact]
    public async Task Status_json_is_the_ami_component_of_healthz()
    {
        var run = await daemon.RunAsync("ami", "status", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Connected", json.RootElement.GetProperty("data").GetProperty("state").GetString());
    }
}
