using System.Net;
using System.Text.Json;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// How the daemon routes FastAGI calls to a module that misbehaves (tests/TestModules/ChaosModule):
/// whatever the handler does, the call goes on in the dialplan with <c>PBXMODULES_STATUS</c> saying
/// what happened; a module whose own code keeps failing is quarantined by the crash-loop breaker for a
/// cool-down (never disabled) and comes back by itself.
/// </summary>
public sealed class AgiRoutingTests
{
    [Fact]
    public async Task A_handler_that_throws_or_overruns_its_budget_ends_the_session_normally_with_ERROR_or_TIMEOUT_and_is_logged()
    {
        await using var daemon = await ChaosDaemon.StartAsync(new Dictionary<string, string>
        {
            ["Agi:HandlerTimeout"] = "00:00:02",
            ["Supervision:MaxFailures"] = "100",
        });
        using var timeout = new CancellationTokenSource(ChaosDaemon.Patience);

        await using (var ok = await ChaosDaemon.CallAsync(daemon, "ok", timeout.Token))
        {
            Assert.Equal("OK", ok.Variables["PBXMODULES_STATUS"]);
            Assert.Equal("1", ok.Variables["CHAOS_OK"]);
            Assert.DoesNotContain(ok.Commands, c => c.Name == "VERBOSE");
        }

        // Throws: ERROR, a VERBOSE line for the Asterisk console, the connection closed by the daemon
        // (no hang-up: the call continues in the dialplan), and the exception in the daemon's log.
        await using (var thrown = await ChaosDaemon.CallAsync(daemon, "throw", timeout.Token))
        {
            Assert.Equal("ERROR", thrown.Variables["PBXMODULES_STATUS"]);
            Assert.Contains(thrown.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("test-chaos/throw failed", StringComparison.Ordinal));
            Assert.False(thrown.IsHungUp);
        }
        await ChaosDaemon.WaitForOutputAsync(daemon, "chaos: this handler always throws", timeout.Token);
        Assert.Contains("AGI handler test-chaos/throw failed", daemon.Output, StringComparison.Ordinal);

        // Its own budget ([AgiHandler("sleep", TimeoutSeconds = 1)]) runs out: TIMEOUT, logged.
        await using (var slept = await ChaosDaemon.CallAsync(daemon, "sleep", timeout.Token))
        {
            Assert.Equal("TIMEOUT", slept.Variables["PBXMODULES_STATUS"]);
            Assert.Contains(slept.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("exceeded its 1 s budget", StringComparison.Ordinal));
            Assert.False(slept.IsHungUp);
        }
        await ChaosDaemon.WaitForOutputAsync(daemon, "AGI handler test-chaos/sleep exceeded its 1 s budget", timeout.Token);

        // No budget of its own: the host's Agi:HandlerTimeout (2 s here) applies.
        await using (var stalled = await ChaosDaemon.CallAsync(daemon, "stall", timeout.Token))
        {
            Assert.Equal("TIMEOUT", stalled.Variables["PBXMODULES_STATUS"]);
            Assert.Contains(stalled.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("exceeded its 2 s budget", StringComparison.Ordinal));
        }
        await ChaosDaemon.WaitForOutputAsync(daemon, "AGI handler test-chaos/stall exceeded its 2 s budget", timeout.Token);

        // A handler the module does not have: NOT_FOUND, and the VERBOSE line lists the ones it has.
        await using (var unknown = await ChaosDaemon.CallAsync(daemon, "no-such-handler", timeout.Token))
        {
            Assert.Equal("NOT_FOUND", unknown.Variables["PBXMODULES_STATUS"]);
            Assert.Contains(unknown.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("no AGI handler 'no-such-handler'", StringComparison.Ordinal) && c.Line.Contains("throw", StringComparison.Ordinal));
        }

        // None of it hurt the module or the daemon: the well-behaved handler still answers.
        await using (var again = await ChaosDaemon.CallAsync(daemon, "ok", timeout.Token))
            Assert.Equal("OK", again.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("Enabled", (await ChaosDaemon.ModuleAsync(daemon, timeout.Token)).State);
    }

    [Fact]
    public async Task A_module_whose_handlers_keep_failing_is_quarantined_with_the_reason_and_comes_back_by_itself()
    {
        await using var daemon = await ChaosDaemon.StartAsync(new Dictionary<string, string>
        {
            ["Supervision:MaxFailures"] = "3",
            ["Supervision:Window"] = "00:10:00",
            // Long enough that the calls right after the trip are inside it on a loaded machine.
            ["Supervision:QuarantineCooldown"] = "00:00:10",
            ["Supervision:ProbeSuccesses"] = "1",
        });
        using var timeout = new CancellationTokenSource(ChaosDaemon.Patience);

        // A session in flight: the handler waits for the reply to its NOOP, which this test holds back.
        var holdOptions = new SimulatedAgiCallOptions { Script = "test-chaos/hold", CallerId = "0912345678" }
            .Reply("NOOP", SimulatedAgiReply.NoAnswer);
        await using var held = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, holdOptions);
        await held.WaitForCommandAsync(c => c.Name == "NOOP", timeout.Token);

        // Three failures within the window trip the breaker: at once, without waiting for the held session.
        for (var i = 0; i < 3; i++)
        {
            await using var thrown = await ChaosDaemon.CallAsync(daemon, "throw", timeout.Token);
            Assert.Equal("ERROR", thrown.Variables["PBXMODULES_STATUS"]);
        }
        await using (var refused = await ChaosDaemon.CallAsync(daemon, "ok", timeout.Token))
        {
            Assert.Equal("QUARANTINED", refused.Variables["PBXMODULES_STATUS"]);
            Assert.Contains(refused.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("module 'test-chaos' is quarantined until", StringComparison.Ordinal));
            Assert.False(refused.Variables.ContainsKey("CHAOS_OK"));
        }
        await ChaosDaemon.WaitForOutputAsync(daemon, "Module test-chaos quarantined for 10 s: 3 failures within 600 s; the last: AGI handler 'throw' threw InvalidOperationException", timeout.Token);

        // Never the administrator's Disabled: the module stays enabled, the quarantine shows in the list and /healthz.
        var (state, reason) = await ChaosDaemon.ModuleAsync(daemon, timeout.Token);
        Assert.Equal(("Enabled", (string?)null), (state, reason));
        var quarantine = await QuarantineAsync(daemon, timeout.Token);
        Assert.Contains("3 failures within 600 s", quarantine.GetProperty("reason").GetString(), StringComparison.Ordinal);
        using (var health = JsonDocument.Parse(await GetAnyStatusAsync(daemon, "/healthz", timeout.Token)))
        {
            var modules = health.RootElement.GetProperty("components").GetProperty("modules");
            Assert.Equal("Unhealthy", modules.GetProperty("status").GetString());
            Assert.Contains("test-chaos quarantined", modules.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        // The session admitted before the trip finishes normally.
        await held.SendRawAsync("200 result=0\n");
        await held.Completion.WaitAsync(timeout.Token);
        Assert.Equal("done", held.Variables["CHAOS_HOLD"]);
        Assert.Equal("OK", held.Variables["PBXMODULES_STATUS"]);

        // When the cool-down is over, a good trial call brings it back by itself.
        while ((await QuarantineAsync(daemon, timeout.Token)).GetProperty("retrying").GetBoolean() is false)
            await Task.Delay(100, timeout.Token);
        await using (var trial = await ChaosDaemon.CallAsync(daemon, "ok", timeout.Token))
        {
            Assert.Equal("OK", trial.Variables["PBXMODULES_STATUS"]);
            Assert.Equal("1", trial.Variables["CHAOS_OK"]);
        }
        Assert.Equal(JsonValueKind.Null, (await QuarantineAsync(daemon, timeout.Token)).ValueKind);
        await ChaosDaemon.WaitForOutputAsync(daemon, "Module test-chaos is back in service", timeout.Token);

        // Watched afresh: three new failures quarantine it once more.
        for (var i = 0; i < 3; i++)
        {
            await using var thrown = await ChaosDaemon.CallAsync(daemon, "throw", timeout.Token);
            Assert.Equal("ERROR", thrown.Variables["PBXMODULES_STATUS"]);
        }
        Assert.Equal(JsonValueKind.Object, (await QuarantineAsync(daemon, timeout.Token)).ValueKind);
        Assert.Equal("Enabled", (await ChaosDaemon.ModuleAsync(daemon, timeout.Token)).State);
    }

    [Fact]
    public async Task A_handler_that_overruns_its_budget_on_its_own_counts_toward_the_quarantine()
    {
        await using var daemon = await ChaosDaemon.StartAsync(new Dictionary<string, string>
        {
            ["Supervision:MaxFailures"] = "2",
            ["Supervision:QuarantineCooldown"] = "00:10:00",
        });
        using var timeout = new CancellationTokenSource(ChaosDaemon.Patience);

        // [AgiHandler("sleep", TimeoutSeconds = 1)] sleeps with no command outstanding: its own fault.
        for (var i = 0; i < 2; i++)
        {
            await using var slept = await ChaosDaemon.CallAsync(daemon, "sleep", timeout.Token);
            Assert.Equal("TIMEOUT", slept.Variables["PBXMODULES_STATUS"]);
        }
        await using (var refused = await ChaosDaemon.CallAsync(daemon, "ok", timeout.Token))
            Assert.Equal("QUARANTINED", refused.Variables["PBXMODULES_STATUS"]);
        Assert.Contains("while Asterisk owed it no reply", (await QuarantineAsync(daemon, timeout.Token)).GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> QuarantineAsync(PbxDaemon daemon, CancellationToken cancellationToken)
    {
        using var list = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules", cancellationToken));
        return list.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == ChaosDaemon.ModuleId).GetProperty("quarantine").Clone();
    }

    private static async Task<string> GetAnyStatusAsync(PbxDaemon daemon, string path, CancellationToken cancellationToken)
    {
        using var response = await daemon.Http.GetAsync(path, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    [Fact]
    public async Task A_session_that_outlasts_the_drain_timeout_is_cancelled_and_the_module_is_disabled_anyway()
    {
        await using var daemon = await ChaosDaemon.StartAsync(new Dictionary<string, string> { ["ModuleHost:DrainTimeout"] = "00:00:01" });
        using var timeout = new CancellationTokenSource(ChaosDaemon.Patience);

        var holdOptions = new SimulatedAgiCallOptions { Script = "test-chaos/hold", CallerId = "0912345678" }
            .Reply("NOOP", SimulatedAgiReply.NoAnswer);
        await using var held = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, holdOptions);
        await held.WaitForCommandAsync(c => c.Name == "NOOP", timeout.Token);

        using (var disabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-chaos:disable", null, timeout.Token))
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        // The module is disabled without waiting any longer for the session: the handler was told to
        // stop (its token cancelled). When Asterisk finally answers the command in progress (as it
        // always does, e.g. when a Dial ends), the call is told DISABLED and the handler, cancelled,
        // never got as far as its next command.
        Assert.Equal(("Disabled", (string?)null), await ChaosDaemon.ModuleAsync(daemon, timeout.Token));
        await ChaosDaemon.WaitForOutputAsync(daemon, "Module test-chaos: 1 AGI session(s) did not finish in time and were cancelled while disabling", timeout.Token);
        await held.SendRawAsync("200 result=0\n");
        await held.Completion.WaitAsync(timeout.Token);
        Assert.Equal("DISABLED", held.Variables["PBXMODULES_STATUS"]);
        Assert.False(held.Variables.ContainsKey("CHAOS_HOLD"));
    }
}
