using System.Text;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>The fixtures replayed against the real server on Kestrel: what we send must be what the capture shows.</summary>
public class FixtureReplayServerTests
{
    [Fact]
    public async Task Fastagi_full_sends_the_captured_commands_and_refuses_those_after_hangup()
    {
        var commands = Fixtures.Lines(Fixtures.Sent("fastagi_full"));
        var hangupIndex = commands.IndexOf("HANGUP");
        var outcomes = new TaskCompletionSource<List<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, _) =>
        {
            var results = new List<string>();
            foreach (var command in commands)
            {
                try
                {
                    results.Add((await channel.SendCommandAsync(command)).ToString());
                }
                catch (AgiHangupException ex)
                {
                    results.Add("refused: " + ex.Message);
                }
            }
            results.Add("token cancelled: " + channel.HangupToken.IsCancellationRequested);
            outcomes.SetResult(results);
        });

        var sent = await ReplayAsterisk.RunAsync(server.Port, "fastagi_full");

        var expectedSent = string.Concat(commands.Take(hangupIndex + 1).Select(c => c + "\n"));
        Assert.Equal(expectedSent, Encoding.UTF8.GetString(sent));
        Assert.Equal(Encoding.UTF8.GetString(Fixtures.Sent("fastagi_full")).Substring(0, expectedSent.Length), expectedSent);

        var results = await outcomes.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("200 result=1 (0912345678)", results[0]);
        Assert.StartsWith("520 Invalid command syntax.  Proper usage follows:\nEvaluates", results[3]);
        Assert.Equal("510 Invalid or unknown command", results[14]);
        Assert.Equal("200 result=-2", results[18]);
        Assert.Equal("200 result=1", results[hangupIndex]);
        foreach (var refused in results.Skip(hangupIndex + 1).Take(commands.Count - hangupIndex - 1))
            Assert.Matches("^refused: AGI command '.+' was not sent: the caller hung up \\(Asterisk sent HANGUP\\)\\.$", refused);
        Assert.Equal("token cancelled: True", results[^1]);
        Assert.Empty(server.AgiLogLines());
        Assert.Empty(server.Errors());
    }

    [Fact]
    public async Task Fastagi_idle_hangup_cancels_the_token_while_the_handler_is_idle()
    {
        var outcomes = new TaskCompletionSource<List<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            var results = new List<string>();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                results.Add("cancelled, hung up: " + channel.IsHungUp);
            }
            foreach (var command in Fixtures.Lines(Fixtures.Sent("fastagi_idle_hangup")))
            {
                var ex = await Assert.ThrowsAsync<AgiHangupException>(() => channel.SendCommandAsync(command).AsTask());
                results.Add(ex.Message);
            }
            outcomes.SetResult(results);
        });

        var sent = await ReplayAsterisk.RunAsync(server.Port, "fastagi_idle_hangup");

        Assert.Empty(sent);
        var results = await outcomes.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("cancelled, hung up: True", results[0]);
        Assert.Equal("AGI command 'ANSWER' was not sent: the caller hung up (Asterisk sent HANGUP).", results[1]);
        Assert.Equal(7, results.Count);
        Assert.Empty(server.AgiLogLines());
    }

    [Fact]
    public async Task Fastagi_args_typed_set_variable_sends_exactly_the_captured_bytes()
    {
        var request = new TaskCompletionSource<AgiRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            request.SetResult(channel.Request);
            await channel.SetVariableAsync("BLACKLISTED", "1", token);
        });

        var sent = await ReplayAsterisk.RunAsync(server.Port, "fastagi_args");

        Assert.Equal(Fixtures.Sent("fastagi_args"), sent);
        var r = await request.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("module-black-list/check", r.Path);
        Assert.Equal("strict", r.Query["mode"]);
        Assert.Equal(["first arg", "second|with|pipes", "", "last"], r.Arguments);
    }

    [Fact]
    public async Task Fastagi_during_ami_session_typed_commands_send_exactly_the_captured_bytes()
    {
        var callerId = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            callerId.SetResult(await channel.GetVariableAsync("CALLERID(num)", token));
            await channel.SetVariableAsync("BLACKLISTED", "0", token);
        });

        var sent = await ReplayAsterisk.RunAsync(server.Port, "fastagi_during_ami_session");

        Assert.Equal(Fixtures.Sent("fastagi_during_ami_session"), sent);
        Assert.Equal("5551234", await callerId.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
