using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Agi;
using PbxModules.Host.HostData;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;
using PbxModules.Host.Tests.Rest;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Host.Tests.Agi;

/// <summary>
/// The AGI router in the real daemon (real Kestrel, the FastAGI listener, the test module
/// tests/TestModules/AgiModule), played against by the simulated Asterisk, on the host's fake clock:
/// what counts against a module's crash-loop breaker, what a quarantine looks like and how a module
/// comes back, and that no status is written to a channel that is gone.
/// </summary>
public sealed class AgiRouterTests
{
    private const string ModuleId = "test-agi";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string Usage520 = "520-Invalid command syntax.  Proper usage follows:\nUsage: SET VARIABLE <variablename> <value>\n520 End of proper usage.";

    [Fact]
    public async Task Asterisk_refusing_commands_or_going_silent_never_quarantines_the_module()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Supervision:MaxFailures"] = "3",
            ["Agi:HandlerTimeout"] = "00:00:05",
        });
        var port = host.AgiPort;

        // 20 sessions whose Asterisk answers the handler's SET VARIABLE with a 520 usage block.
        for (var i = 0; i < 20; i++)
        {
            await using var call = await CallAsync(port, "ok", o => o.Reply("SET VARIABLE", Usage520));
            Assert.Contains(call.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("stopped", StringComparison.Ordinal));
        }

        // 20 sessions answered "511 dead channel" with no HANGUP line.
        for (var i = 0; i < 20; i++)
        {
            await using var call = await CallAsync(port, "ok", o => o.Reply("SET VARIABLE", SimulatedAgiReply.DeadChannel));
            Assert.DoesNotContain(call.Commands, c => c.Line.Contains("PBXMODULES_STATUS", StringComparison.Ordinal) && c.Line.Contains("QUARANTINED", StringComparison.Ordinal));
        }

        // 10 sessions where Asterisk holds the SET VARIABLE past the handler's budget (a wedged PBX).
        for (var i = 0; i < 10; i++)
        {
            using var timeout = new CancellationTokenSource(Deadline);
            await using var call = await SimulatedAgiCall.ConnectAsync(port, Options("ok").Reply("SET VARIABLE", SimulatedAgiReply.NoAnswer));
            await call.WaitForCommandAsync(c => c.Name == "SET VARIABLE", timeout.Token);
            host.Time.Advance(TimeSpan.FromSeconds(5));
            // The router judged the time-out (its VERBOSE comes after); Asterisk never answers, the call is dropped.
            await call.WaitForCommandAsync(c => c.Name == "VERBOSE" && c.Line.Contains("exceeded its 5 s budget", StringComparison.Ordinal), timeout.Token);
        }

        var breaker = host.Services.GetRequiredService<ModuleCrashBreaker>();
        Assert.Null(breaker.GetQuarantine(ModuleId));
        Assert.Equal(ModuleState.Enabled, host.Manager.Registry.GetModule(ModuleId)!.State);
        Assert.DoesNotContain(host.Logs, l => l.Contains("quarantined for", StringComparison.Ordinal));
        Assert.Contains(host.Logs, l => l.Contains("while Asterisk had not answered 'SET VARIABLE AGI_OK 1'", StringComparison.Ordinal));

        // And the module still serves a normal call.
        await using var ok = await CallAsync(port, "ok");
        Assert.Equal("OK", ok.Variables["PBXMODULES_STATUS"]);
        Assert.Equal("1", ok.Variables["AGI_OK"]);
    }

    [Fact]
    public async Task A_handler_that_throws_quarantines_the_module_which_comes_back_by_itself_after_the_cool_down()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Supervision:MaxFailures"] = "3",
            ["Supervision:QuarantineCooldown"] = "00:01:00",
            ["Supervision:MaxQuarantineCooldown"] = "00:10:00",
            ["Supervision:ProbeSuccesses"] = "2",
        });
        var port = host.AgiPort;
        var start = host.Time.GetUtcNow();

        for (var i = 0; i < 3; i++)
        {
            await using var thrown = await CallAsync(port, "throw");
            Assert.Equal("ERROR", thrown.Variables["PBXMODULES_STATUS"]);
        }
        Assert.Contains(host.Logs, l => l.Contains("Module test-agi quarantined for 60 s: 3 failures within 60 s; the last: AGI handler 'throw' threw InvalidOperationException", StringComparison.Ordinal));

        // Quarantined: the handler does not run; the status sends the module's dialplan to its fail mode.
        await using (var refused = await CallAsync(port, "ok"))
        {
            Assert.Equal("QUARANTINED", refused.Variables["PBXMODULES_STATUS"]);
            Assert.False(refused.Variables.ContainsKey("AGI_OK"));
            Assert.Contains(refused.Commands, c => c.Name == "VERBOSE" && c.Line.Contains("is quarantined until", StringComparison.Ordinal));
        }

        // Shown in /healthz (the modules component unhealthy, with the reason) and in the modules list.
        using (var health = await host.Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            var modules = (await RestHost.BodyAsync(health)).GetProperty("components").GetProperty("modules");
            Assert.Equal("Unhealthy", modules.GetProperty("status").GetString());
            Assert.Contains("test-agi quarantined until", modules.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Contains("3 failures within 60 s", modules.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        var listed = await ModuleAsync(host);
        Assert.Equal("Enabled", listed.GetProperty("state").GetString());
        var quarantine = listed.GetProperty("quarantine");
        Assert.Contains("3 failures within 60 s", quarantine.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(start + TimeSpan.FromMinutes(1), quarantine.GetProperty("retryAt").GetDateTimeOffset());

        // A quarantine is not the administrator's Disabled: nothing is persisted.
        var records = await host.Services.GetRequiredService<ModuleStateStore>().GetAllAsync(CancellationToken.None);
        Assert.True(records[ModuleId].Enabled);
        Assert.Null(records[ModuleId].DisabledReason);

        // Still quarantined just before the cool-down ends.
        host.Time.Advance(TimeSpan.FromSeconds(59));
        await using (var early = await CallAsync(port, "ok"))
            Assert.Equal("QUARANTINED", early.Variables["PBXMODULES_STATUS"]);

        // Cool-down over: trial calls run; a failing trial quarantines it again, for twice as long.
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await using (var trial = await CallAsync(port, "ok"))
            Assert.Equal("OK", trial.Variables["PBXMODULES_STATUS"]);
        await using (var failedTrial = await CallAsync(port, "throw"))
            Assert.Equal("ERROR", failedTrial.Variables["PBXMODULES_STATUS"]);
        var again = (await ModuleAsync(host)).GetProperty("quarantine");
        Assert.Equal(2, again.GetProperty("trips").GetInt32());
        Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromMinutes(2), again.GetProperty("retryAt").GetDateTimeOffset());
        await using (var refusedAgain = await CallAsync(port, "ok"))
            Assert.Equal("QUARANTINED", refusedAgain.Variables["PBXMODULES_STATUS"]);

        // After the longer cool-down, two good trials in a row and it is back, with nothing left to show.
        host.Time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 2; i++)
        {
            await using var good = await CallAsync(port, "ok");
            Assert.Equal("OK", good.Variables["PBXMODULES_STATUS"]);
            Assert.Equal("1", good.Variables["AGI_OK"]);
        }
        Assert.Equal(JsonValueKind.Null, (await ModuleAsync(host)).GetProperty("quarantine").ValueKind);
        using (var health = await host.Http.GetAsync("/healthz"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains(host.Logs, l => l.Contains("Module test-agi is back in service: 2 trial call(s)", StringComparison.Ordinal));
        Assert.Equal(ModuleState.Enabled, host.Manager.Registry.GetModule(ModuleId)!.State);
    }

    [Fact]
    public async Task No_status_is_written_after_the_handler_hung_up_or_played_busy()
    {
        await using var host = await StartAsync();
        var port = host.AgiPort;

        // A real Asterisk answers HANGUP with 200 result=1 and sends its own HANGUP line ~40 ms later
        // (fixture fastagi_after_hangup): the reply alone must be enough to know the channel is gone.
        await using (var hungUp = await CallAsync(port, "hangup", o => o.Reply("HANGUP", "200 result=1")))
        {
            Assert.Equal(["SET VARIABLE", "HANGUP"], hungUp.Commands.Select(c => c.Name));
            Assert.Equal("1", hungUp.Variables["AGI_REJECTED"]);
        }

        // EXEC Busy answers 200 result=-1 and the channel is gone (fixture fastagi_busy_then_hangup).
        await using (var busy = await CallAsync(port, "busy", o => o.Reply("EXEC", "200 result=-1")))
            Assert.Equal(["EXEC"], busy.Commands.Select(c => c.Name));

        // An application that returns 0 leaves the channel up: the status is set as usual.
        await using (var up = await CallAsync(port, "busy", o => o.Reply("EXEC", "200 result=0")))
            Assert.Equal("OK", up.Variables["PBXMODULES_STATUS"]);
    }

    [Fact]
    public async Task The_dispatch_hears_of_every_handler_that_ran_with_what_escaped_it_even_on_a_channel_that_is_gone()
    {
        await using var host = await StartAsync();
        var ended = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<Exception?>>();
        TaskCompletionSource<Exception?> Ended(string uniqueId) => ended.GetOrAdd(uniqueId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        host.Services.GetRequiredService<AgiHandlerDispatch>().Ended += (request, escaped) => Ended(request.UniqueId).TrySetResult(escaped);

        await using (await CallAsync(host.AgiPort, "ok", o => o.UniqueId = "1.1")) { }
        await using (await CallAsync(host.AgiPort, "throw", o => o.UniqueId = "1.2")) { }
        // The caller hangs up at the handler's first command: the router reports nothing to the channel, the dispatch still hears.
        await using (await CallAsync(host.AgiPort, "hangup", o => { o.UniqueId = "1.3"; o.HangUpOnCommand = 1; })) { }

        Assert.Null(await Ended("1.1").Task.WaitAsync(Deadline));
        Assert.Equal("test-agi: this handler always throws", Assert.IsType<InvalidOperationException>(await Ended("1.2").Task.WaitAsync(Deadline)).Message);
        Assert.IsType<PbxModules.Sdk.Agi.AgiHangupException>(await Ended("1.3").Task.WaitAsync(Deadline));
        // A path no module serves runs no handler: nothing to hear.
        await using (var unrouted = await CallAsync(host.AgiPort, "no-such-handler", o => o.UniqueId = "1.4"))
            Assert.Equal(AgiStatus.NotFound, unrouted.Variables["PBXMODULES_STATUS"]);
        Assert.False(ended.ContainsKey("1.4"));
    }

    private static SimulatedAgiCallOptions Options(string handler) => new() { Script = $"{ModuleId}/{handler}", CallerId = "0912345678" };

    private static async Task<SimulatedAgiCall> CallAsync(int port, string handler, Action<SimulatedAgiCallOptions>? configure = null)
    {
        var options = Options(handler);
        configure?.Invoke(options);
        var call = await SimulatedAgiCall.ConnectAsync(port, options);
        await call.Completion.WaitAsync(Deadline);
        return call;
    }

    private static async Task<JsonElement> ModuleAsync(RestHost host)
    {
        using var response = await host.Http.GetAsync($"/pbxcore/api/v3/modules/{ModuleId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await RestHost.BodyAsync(response)).GetProperty("data");
    }

    private static async Task<RestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var host = await RestHost.StartAsync(trustLoopback: true, settings: settings, extraModules: "AgiModule");
        var module = host.Manager.Registry.GetModule(ModuleId);
        Assert.True(module?.State == ModuleState.Enabled, $"{ModuleId} is {module?.State}: {module?.FailureReason}");
        return host;
    }
}
