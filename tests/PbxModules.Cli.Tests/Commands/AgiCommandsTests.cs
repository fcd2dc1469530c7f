using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PbxModules.Cli.Tests.Commands;

/// <summary><c>agi call</c> against ModuleBlackList's check handler on the real daemon's FastAGI port.</summary>
[Collection(CliDaemonCollection.Name)]
public sealed class AgiCommandsTests(CliDaemon daemon)
{
    private const string Listed = "+14155550190";
    private const string NotListed = "+14155550191";

    [Fact]
    public async Task A_listed_caller_shows_the_conversation_and_BLACKLISTED_1_and_one_not_listed_BLACKLISTED_0()
    {
        await ListAsync(Listed);

        var blocked = await CallAsync(Listed);
        Assert.True(blocked.ExitCode == 0, blocked.ToString());
        // What Asterisk sent, then each command of the handler and the channel's reply.
        Assert.Contains($">> agi_network_script: {CliDaemon.ModuleId}/check", blocked.Output, StringComparison.Ordinal);
        Assert.Contains($">> agi_callerid: {Listed}", blocked.Output, StringComparison.Ordinal);
        Assert.Contains(">> agi_arg_1: +12125550000", blocked.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^<< SET VARIABLE ""?BLACKLISTED""? ""?1""?\s*$", blocked.Output);
        Assert.Matches(@"(?m)^>> 200 result=1\s*$", blocked.Output);
        Assert.Matches(@"(?m)^\s+BLACKLISTED\s+1\s*$", blocked.Output);
        // The default action hangs up: the dialplan goes no further, so the router sets no status.
        Assert.Contains("The call was hung up", blocked.Output, StringComparison.Ordinal);

        var passed = await CallAsync(NotListed);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains($">> agi_callerid: {NotListed}", passed.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+BLACKLISTED\s+0\s*$", passed.Output);
        Assert.Matches(@"(?m)^\s+PBXMODULES_STATUS\s+OK\s*$", passed.Output);
        Assert.Contains("The call goes on in the dialplan", passed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_of_a_call_holds_its_conversation_and_variables()
    {
        var run = await daemon.RunAsync("agi", "call", $"{CliDaemon.ModuleId}/check", "--callerid", NotListed, "--did", "+12125550000",
            "--port", daemon.Daemon.AgiPort.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal("0", json.RootElement.GetProperty("variables").GetProperty("BLACKLISTED").GetString());
        Assert.NotEmpty(json.RootElement.GetProperty("conversation").EnumerateArray());
        Assert.True(json.RootElement.GetProperty("ended").GetBoolean());
    }

    [Fact]
    public async Task A_port_nobody_listens_on_says_the_daemon_is_not_reachable()
    {
        var port = Sdk.Testing.Daemon.PbxDaemon.FreePort();
        var run = await daemon.RunAsync("agi", "call", $"{CliDaemon.ModuleId}/check", "--port", port.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Contains("Is pbx-modules running?", run.Error, StringComparison.Ordinal);
        Assert.Contains("--port", run.Error, StringComparison.Ordinal);
    }

    private Task<CliRun> CallAsync(string callerId) => daemon.RunAsync("agi", "call", $"{CliDaemon.ModuleId}/check", "--callerid", callerId, "--did", "+12125550000",
        "--port", daemon.Daemon.AgiPort.ToString(CultureInfo.InvariantCulture));

    private async Task ListAsync(string number)
    {
        using var client = daemon.SocketClient();
        using var response = await client.PostAsJsonAsync($"/pbxcore/api/v3/{CliDaemon.ModuleId}/numbers", new { number });
        // 409: an earlier run of this test in the same daemon listed it already.
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }
}
