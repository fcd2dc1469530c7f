using System.Text.Json;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// Through the real daemon: a FastAGI peer that answers the check's commands with
/// 520 usage blocks, with 511 and no HANGUP, or not at all past the handler's budget, makes the calls
/// fail but never takes ModuleBlackList out of service: it stays Enabled, unquarantined, and a listed
/// caller is still rejected afterwards.
/// </summary>
public sealed class BlackListQuarantineTests
{
    private const string ModuleId = "module-black-list";
    private const string Usage520 = "520-Invalid command syntax.  Proper usage follows:\nUsage: SET VARIABLE <variablename> <value>\n520 End of proper usage.";

    [Fact]
    public async Task Asterisk_answering_520_511_or_nothing_never_switches_the_blacklist_off()
    {
        await using var bl = await BlackListDaemon.StartAsync(
            new Dictionary<string, object> { ["defaultRegion"] = "US", ["action"] = "Hangup", ["floodProtection"] = false, ["failMode"] = "Open" },
            [new SeedRule(1, "+1 415 555 0190", "14155550190")],
            hostSettings: new Dictionary<string, string>
            {
                // The default threshold (10 in 60 s), and a short budget so that silence runs out quickly.
                ["Agi:HandlerTimeouts:module-black-list:check"] = "00:00:01",
            });
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);

        for (var i = 0; i < 20; i++)
        {
            await using var call = await CheckAsync(bl, o => o.Reply("SET VARIABLE", Usage520), timeout.Token);
            await call.Completion.WaitAsync(timeout.Token);
        }
        for (var i = 0; i < 20; i++)
        {
            await using var call = await CheckAsync(bl, o => o.Reply("SET VARIABLE", SimulatedAgiReply.DeadChannel), timeout.Token);
            await call.Completion.WaitAsync(timeout.Token);
        }

        // Ten wedged sessions at once: Asterisk never answers SET VARIABLE BLACKLISTED 0.
        var silent = new List<SimulatedAgiCall>();
        try
        {
            for (var i = 0; i < 10; i++)
                silent.Add(await CheckAsync(bl, o => o.Reply("SET VARIABLE", SimulatedAgiReply.NoAnswer), timeout.Token));
            // The daemon judged each time-out (its VERBOSE follows the judgement).
            foreach (var call in silent)
                await call.WaitForCommandAsync(c => c.Name == "VERBOSE" && c.Line.Contains("exceeded its 1 s budget", StringComparison.Ordinal), timeout.Token);
        }
        finally
        {
            foreach (var call in silent) await call.DisposeAsync();
        }

        // Still in service, and a listed caller is still rejected.
        using (var list = JsonDocument.Parse(await bl.Daemon.Http.GetStringAsync("/pbxcore/api/v3/modules", timeout.Token)))
        {
            var module = list.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == ModuleId);
            Assert.Equal("Enabled", module.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, module.GetProperty("quarantine").ValueKind);
        }
        var listed = await bl.CheckAsync("+14155550190");
        Assert.Equal("1", listed.Variables["BLACKLISTED"]);
        // The handler ends the call with the configured cause (EXEC Hangup 21), not the HANGUP command.
        Assert.Contains(listed.Commands, c => c.Line.StartsWith("EXEC Hangup", StringComparison.Ordinal));
        Assert.DoesNotContain("quarantined for", bl.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("disabling it", bl.Output, StringComparison.Ordinal);
        Assert.Contains("not counted against the module", bl.Output, StringComparison.Ordinal);
        // The dialplan still carries the module's check.
        Assert.Contains($"/{ModuleId}/check", await File.ReadAllTextAsync(bl.DialplanFile, timeout.Token), StringComparison.Ordinal);
    }

    private static Task<SimulatedAgiCall> CheckAsync(BlackListDaemon bl, Action<SimulatedAgiCallOptions> script, CancellationToken cancellationToken)
    {
        var options = new SimulatedAgiCallOptions { Script = $"{ModuleId}/check", CallerId = "+12125550123", Arguments = [""] };
        script(options);
        return SimulatedAgiCall.ConnectAsync(bl.Daemon.AgiPort, options, cancellationToken);
    }
}
