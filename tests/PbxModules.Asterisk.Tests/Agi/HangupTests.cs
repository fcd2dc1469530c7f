using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>The caller hangs up at every point of a session: the handler learns it cleanly, the server shrugs.</summary>
public class HangupTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static readonly Func<IAgiChannel, CancellationToken, Task>[] Script =
    [
        (c, t) => c.AnswerAsync(t),
        (c, t) => c.GetVariableAsync("CALLERID(num)", t),
        (c, t) => c.StreamFileAsync("beep", "#", cancellationToken: t),
        (c, t) => c.SetVariableAsync("BLACKLISTED", "1", t),
        (c, t) => c.DatabaseGetAsync("blacklist", "0912345678", t),
        (c, t) => c.VerboseAsync("done", cancellationToken: t),
    ];

    private sealed record Outcome(List<string> Steps, bool TokenCancelled, bool HungUp);

    private static async Task<Outcome> RunScriptAsync(IAgiChannel channel, CancellationToken token, Func<int, Task>? beforeStep = null)
    {
        var steps = new List<string>();
        for (var i = 0; i < Script.Length; i++)
        {
            try
            {
                if (beforeStep is not null) await beforeStep(i);
                await Script[i](channel, token);
                steps.Add("ok");
            }
            catch (AgiHangupException)
            {
                steps.Add("hangup");
            }
            catch (Exception ex)
            {
                steps.Add(ex.GetType().Name + ": " + ex.Message);
            }
        }
        return new Outcome(steps, token.IsCancellationRequested, channel.IsHungUp);
    }

    public static TheoryData<int, SimulatedHangup> Points()
    {
        var data = new TheoryData<int, SimulatedHangup>();
        foreach (var mode in Enum.GetValues<SimulatedHangup>())
            for (var k = 1; k <= Script.Length; k++) data.Add(k, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Points))]
    public async Task Hang_up_while_answering_command(int sequence, SimulatedHangup mode)
    {
        var outcome = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) => outcome.SetResult(await RunScriptAsync(channel, token)));
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port, new SimulatedAgiCallOptions
        {
            CallerId = "0912345678",
            HangUpOnCommand = sequence,
            HangUpMode = mode,
        });

        var result = await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);

        var k = sequence - 1;
        Assert.All(result.Steps.Take(k), s => Assert.Equal("ok", s));
        switch (mode)
        {
            case SimulatedHangup.AfterReply:
                Assert.Equal("ok", result.Steps[k]);
                break;
            case SimulatedHangup.BeforeReply:
                // The reply still comes, but the handler's token (linked to the hang-up) may stop the wait first.
                Assert.Contains(result.Steps[k], new[] { "ok", "hangup" });
                break;
            case SimulatedHangup.Disconnect:
                Assert.Equal("hangup", result.Steps[k]);
                break;
        }
        // Nothing after the hang-up is sent, and every later command says why it failed.
        Assert.All(result.Steps.Skip(k + 1), s => Assert.Equal("hangup", s));
        Assert.Equal(sequence, call.Commands.Count);
        Assert.True(result.TokenCancelled);
        Assert.True(result.HungUp);

        await WaitForIdleAsync(server);
        // A hang-up is how calls end; only a vanished Asterisk is worth (one) line.
        Assert.Equal(mode == SimulatedHangup.Disconnect ? 1 : 0, server.AgiLogLines().Count);
        Assert.Empty(server.Errors());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public async Task Hang_up_while_the_handler_is_idle(int afterCommands)
    {
        var outcome = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
            outcome.SetResult(await RunScriptAsync(channel, token, async i =>
            {
                if (i != afterCommands) return;
                idle.SetResult();
                // Idle: busy with something that is not AGI, until the hang-up cancels it.
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                }
            })));
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        if (afterCommands == Script.Length)
        {
            // The handler finished before the hang-up: the session simply ends.
            var done = await outcome.Task.WaitAsync(Safety);
            Assert.All(done.Steps, s => Assert.Equal("ok", s));
            return;
        }
        // Hang up only once the handler is idle, that is once it has the reply to its last command. Waiting
        // for the simulator to receive that command is not enough: its reply and this HANGUP are written by
        // two threads, so on a loaded machine the HANGUP could overtake the reply and the handler would see
        // a hang-up during the command, not while idle (a different case, covered above).
        await idle.Task.WaitAsync(Safety);
        await call.HangUpAsync();

        var result = await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);

        Assert.All(result.Steps.Take(afterCommands), s => Assert.Equal("ok", s));
        Assert.All(result.Steps.Skip(afterCommands), s => Assert.Equal("hangup", s));
        Assert.Equal(afterCommands, call.Commands.Count);
        Assert.True(result.TokenCancelled);
        await WaitForIdleAsync(server);
        Assert.Empty(server.AgiLogLines());
        Assert.Empty(server.Errors());
    }

    [Fact]
    public async Task The_hangup_command_ends_the_session_like_the_fixture()
    {
        var outcome = new TaskCompletionSource<(bool, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            var hungUp = await channel.HangupAsync(cancellationToken: CancellationToken.None);
            var ex = await Assert.ThrowsAsync<AgiHangupException>(() => channel.AnswerAsync(CancellationToken.None));
            outcome.SetResult((hungUp, ex.Message));
        });
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        var (hungUp, message) = await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);
        Assert.True(hungUp);
        Assert.Equal("AGI command 'ANSWER' was not sent: the caller hung up (Asterisk sent HANGUP).", message);
        Assert.Equal(["HANGUP"], call.Commands.Select(c => c.Line));
        Assert.True(call.IsHungUp);
    }

    [Fact]
    public async Task A_wait_abandoned_by_its_token_does_not_desynchronise_the_replies()
    {
        var outcome = new TaskCompletionSource<(string?, string?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            using var cts = new CancellationTokenSource();
            var slow = channel.GetVariableAsync("SLOW", cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
            release.SetResult();
            // The late reply to SLOW must be dropped, not taken for FAST's.
            var fast = await channel.GetVariableAsync("FAST", token);
            var again = await channel.GetVariableAsync("SLOW", token);
            outcome.SetResult((fast, again));
        });
        var options = new SimulatedAgiCallOptions();
        options.ChannelVariables["FAST"] = "fast";
        options.ChannelVariables["SLOW"] = "slow";
        options.Reply("GET VARIABLE", cmd =>
        {
            // The first SLOW answers only once the handler has given up on it.
            if (cmd.Sequence == 1) release.Task.Wait(Safety);
            return null;
        });
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port, options);
        Assert.Equal(("fast", "slow"), await outcome.Task.WaitAsync(Safety));
        await call.Completion.WaitAsync(Safety);
        Assert.Empty(server.AgiLogLines());
    }

    private static async Task WaitForIdleAsync(FastAgiTestServer server)
    {
        using var safety = new CancellationTokenSource(Safety);
        while (server.ConnectionHandler.ActiveSessions != 0) await Task.Delay(10, safety.Token);
    }
}
