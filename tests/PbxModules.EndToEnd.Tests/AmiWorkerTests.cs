using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// Module AMI workers under supervision, in the real daemon against the simulated Asterisk. The
/// workers of tests/TestModules/ChaosModule report what they see as <c>UserEvent</c> actions, which the
/// simulated Asterisk records in arrival order: <c>ChaosConnected</c> (Worker, Reconnect),
/// <c>ChaosSeen</c> (Seq), <c>ChaosFlakySeen</c> (Data), <c>ChaosStopped</c> (Worker).
/// </summary>
public sealed partial class AmiWorkerTests
{
    [Fact]
    public async Task Workers_start_once_AMI_is_up_get_their_events_in_order_survive_a_blocked_neighbour_and_reconnects_and_are_stopped_when_their_module_goes()
    {
        // Asterisk is down when the daemon starts: the module is enabled, its workers wait for the connection.
        await using var asterisk = new SimulatedAmiServer(new SimulatedAmiServerOptions { Port = PbxDaemon.FreePort() });
        await using var daemon = await ChaosDaemon.StartAsync(new Dictionary<string, string>
        {
            ["Supervision:MaxFailures"] = "3",
            ["Supervision:Window"] = "00:10:00",
            ["AmiWorkers:MinRestartDelay"] = "00:00:00.2",
            ["Ami:ReconnectMaxDelay"] = "00:00:01",
        }, asterisk.Port);
        using var timeout = new CancellationTokenSource(ChaosDaemon.Patience);
        // The workers' queues exist (and are reported) once the module is enabled, before AMI is up.
        await ChaosDaemon.WaitForStateAsync(daemon, "Enabled", timeout.Token);
        Assert.Contains("worker:test-chaos/EchoWorker", (await ChaosDaemon.HealthDataAsync(daemon, "ami", timeout.Token)).Keys);

        // OnConnectedAsync (not a reconnect) is the first thing each worker is asked to do, once AMI logs in.
        await asterisk.StartAsync(timeout.Token);
        foreach (var worker in new[] { "Echo", "Flaky", "Blocking" })
        {
            var connected = await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosConnected" && a["Worker"] == worker, timeout.Token);
            Assert.Equal("false", connected["Reconnect"]);
        }

        // Every matching event reaches the echo worker, in order, none of the others; meanwhile the
        // blocking worker, subscribed to the same events, is stuck on the first one.
        const int Count = 40;
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosSeq"), ("Seq", Text(1)));
        await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosBlocked" && a["Seq"] == Text(1), timeout.Token);
        for (var seq = 1; seq <= Count; seq++)
        {
            if (seq > 1) await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosSeq"), ("Seq", Text(seq)));
            await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosNoise"), ("Seq", Text(-seq)));
            await asterisk.SendEventAsync("Newchannel", ("Channel", $"PJSIP/{seq}-00000001"), ("Seq", Text(-seq)));
        }
        await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosSeen" && a["Seq"] == Text(Count), timeout.Token);
        Assert.Equal(Enumerable.Range(1, Count).Select(Text), Seen(asterisk));

        // The slow worker filled only its own queue: /healthz shows its queue full and its losses,
        // the 39 events after the one it is stuck on less the 8 it holds (once the reader has offered
        // it the last event, which may come just after the echo); the echo worker lost nothing.
        Dictionary<string, string> ami;
        (int Depth, int Capacity, long Received, long Dropped) blocked;
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            do
            {
                ami = await ChaosDaemon.HealthDataAsync(daemon, "ami", timeout.Token);
                blocked = Stats(ami["worker:test-chaos/BlockingWorker"]);
                if (wait.IsCancellationRequested) Assert.Fail($"The blocked worker's queue did not fill: {string.Join("; ", ami.Select(p => $"{p.Key} = {p.Value}"))}");
            }
            while (blocked.Dropped < Count - 1 - 8);
        }
        Assert.Equal(8, blocked.Capacity);
        Assert.Equal(8, blocked.Depth);
        Assert.Equal(Count - 1 - 8, blocked.Dropped);
        // The losses make AMI Degraded in /healthz, counted per worker for the last minute, and are logged.
        Assert.Equal((Count - 1 - 8).ToString(CultureInfo.InvariantCulture), ami["worker:test-chaos/BlockingWorker:droppedLastMinute"]);
        Assert.DoesNotContain("worker:test-chaos/EchoWorker:droppedLastMinute", ami.Keys);
        await ChaosDaemon.WaitForOutputAsync(daemon, "AMI subscriber 'test-chaos/BlockingWorker' lost 1 events", timeout.Token);
        var echo = Stats(ami["worker:test-chaos/EchoWorker"]);
        Assert.Equal(0, echo.Dropped);
        Assert.Equal(0, echo.Depth);

        // Asterisk restarts: each worker resyncs (OnConnectedAsync with isReconnect) before the new
        // connection's events.
        asterisk.ClearReceivedActions();
        await asterisk.RestartAsync();
        foreach (var worker in new[] { "Echo", "Flaky" })
        {
            var reconnected = await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosConnected" && a["Worker"] == worker, timeout.Token);
            Assert.Equal("true", reconnected["Reconnect"]);
        }
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosSeq"), ("Seq", Text(Count + 1)));
        await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosSeen" && a["Seq"] == Text(Count + 1), timeout.Token);

        // A worker that throws is logged and restarted after a delay, with a resync, and carries on
        // with the next event; the others never noticed.
        asterisk.ClearReceivedActions();
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosFlaky"), ("Data", "throw"));
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosFlaky"), ("Data", "after"));
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosSeq"), ("Seq", Text(Count + 2)));
        await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosFlakySeen" && a["Data"] == "after", timeout.Token);
        await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosSeen" && a["Seq"] == Text(Count + 2), timeout.Token);
        var flaky = asterisk.ReceivedActions.Where(a => a["UserEvent"] is "ChaosConnected" or "ChaosFlakySeen" && a["Worker"] is null or "Flaky").Select(a => $"{a["UserEvent"]} {a["Reconnect"] ?? a["Data"]}").ToList();
        Assert.Equal(["ChaosConnected true", "ChaosFlakySeen after"], flaky);
        Assert.Contains("AMI worker test-chaos/FlakyWorker failed; restarting it in 0.2 s", daemon.Output, StringComparison.Ordinal);
        Assert.Equal("Enabled", (await ChaosDaemon.ModuleAsync(daemon, timeout.Token)).State);

        // Crashing again and again: each restart waits twice as long as the one before (the delay
        // starts afresh after an event was handled), and the third crash within the window is one
        // too many: the module is quarantined with the reason (never the administrator's Disabled:
        // it stays Enabled and its workers wait out the cool-down).
        asterisk.ClearReceivedActions();
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosFlaky"), ("Data", "throw"));
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "ChaosFlaky"), ("Data", "throw"));
        await ChaosDaemon.WaitForOutputAsync(daemon, "AMI worker test-chaos/FlakyWorker failed; restarting it in 0.4 s", timeout.Token);
        Assert.Equal(2, Regex.Count(daemon.Output, Regex.Escape("AMI worker test-chaos/FlakyWorker failed; restarting it in 0.2 s")));
        await ChaosDaemon.WaitForOutputAsync(daemon, "Module test-chaos quarantined for", timeout.Token);
        using (var list = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules", timeout.Token)))
        {
            var module = list.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == ChaosDaemon.ModuleId);
            Assert.Equal("Enabled", module.GetProperty("state").GetString());
            var reason = module.GetProperty("quarantine").GetProperty("reason").GetString();
            Assert.Contains("3 failures", reason, StringComparison.Ordinal);
            Assert.Contains("AMI worker FlakyWorker threw InvalidOperationException: chaos: this worker throws when asked", reason, StringComparison.Ordinal);
        }

        // Disabling it by hand stops every worker (OnStoppedAsync, the blocked one too), and they leave /healthz.
        using (await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-chaos:disable", null, timeout.Token))
        {
        }
        await ChaosDaemon.WaitForStateAsync(daemon, "Disabled", timeout.Token);
        foreach (var worker in new[] { "Echo", "Flaky", "Blocking" })
            await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosStopped" && a["Worker"] == worker, timeout.Token);
        Assert.DoesNotContain(await ChaosDaemon.HealthDataAsync(daemon, "ami", timeout.Token), p => p.Key.StartsWith("worker:test-chaos/", StringComparison.Ordinal));

        // A worker that cannot even be created fails enabling the module; the workers started before
        // it are stopped again (OnStoppedAsync), not left running the failed module's code.
        await File.WriteAllTextAsync(Path.Combine(daemon.Root, "var", "data", "modules", "test-chaos", "unstartable-worker"), "", timeout.Token);
        asterisk.ClearReceivedActions();
        using (await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-chaos:enable", null, timeout.Token))
        {
        }
        var (state, failure) = await ChaosDaemon.ModuleAsync(daemon, timeout.Token);
        Assert.Equal("Failed", state);
        Assert.Contains("chaos: this worker cannot start", failure, StringComparison.Ordinal);
        foreach (var worker in new[] { "Echo", "Flaky", "Blocking" })
            await asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "ChaosStopped" && a["Worker"] == worker, timeout.Token);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<string> Seen(SimulatedAmiServer asterisk)
        => [.. asterisk.ReceivedActions.Where(a => a.Name == "UserEvent" && a["UserEvent"] == "ChaosSeen").Select(a => a["Seq"]!)];

    private static (int Depth, int Capacity, long Received, long Dropped) Stats(string text)
    {
        var match = StatsPattern().Match(text);
        Assert.True(match.Success, text);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^depth (\d+)/(\d+), received (\d+), dropped (\d+) \(\d+ in the last \d+ s\)$")]
    private static partial Regex StatsPattern();
}
