using Microsoft.Data.Sqlite;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// Issue 5, through the real daemon: the fail modes when the module's database is broken (and the
/// dialplan branches for both), prefixes in a region with a national trunk prefix (RU), and
/// disabling the module without a restart. Each test has its own daemon.
/// </summary>
public sealed class BlackListCallModesTests
{
    /// <summary>The rules table is gone: settings load, the list cannot, so the check cannot run.</summary>
    private static void DropRulesTable(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE m_BlackListNumbers";
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task When_the_database_is_broken_a_fail_open_module_lets_callers_through_and_its_dialplan_fails_open_too()
    {
        await using var bl = await BlackListDaemon.StartAsync(
            new Dictionary<string, object> { ["failMode"] = "Open" },
            [new SeedRule(1, "+1 (305) 555-0142", "13055550142")],
            DropRulesTable);

        var call = await bl.CheckAsync("+1 (305) 555-0142");

        Assert.Equal("0", call.Variables["BLACKLISTED"]);
        Assert.False(call.IsHungUp);
        Assert.DoesNotContain(call.Commands, c => c.Name == "HANGUP");
        Assert.Contains("Blacklist check could not run", bl.Output, StringComparison.Ordinal);

        // When the daemon cannot be reached at all, Asterisk's dialplan decides: fail-open goes on.
        var conf = await File.ReadAllTextAsync(bl.DialplanFile);
        AssertFailBranch(conf, "Goto(bl-done)", "fail-open");
    }

    [Fact]
    public async Task When_the_database_is_broken_a_fail_closed_module_rejects_callers_and_its_dialplan_fails_closed_too()
    {
        await using var bl = await BlackListDaemon.StartAsync(
            new Dictionary<string, object> { ["failMode"] = "Closed" },
            [new SeedRule(1, "+1 (305) 555-0142", "13055550142")],
            DropRulesTable);

        // Even a caller the list would not name: the check could not run.
        var call = await bl.CheckAsync("+1 (212) 555-0199");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal("fail-closed", call.Variables["BLACKLIST_RULE"]);
        Assert.Contains(call.Commands, c => c.Name == "HANGUP");

        var conf = await File.ReadAllTextAsync(bl.DialplanFile);
        AssertFailBranch(conf, "Goto(bl-reject)", "fail-closed");
    }

    /// <summary>
    /// The check's result is read in the dialplan: BLACKLISTED=1 → reject; daemon unreachable
    /// (AGISTATUS=FAILURE) or the check not run (PBXMODULES_STATUS ≠ OK) → the fail branch, which goes
    /// on (open) or rejects (closed); the reject label hangs up before any Dial.
    /// </summary>
    private static void AssertFailBranch(string conf, string failGoto, string mode)
    {
        var lines = conf.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(lines, l => l.Contains("GotoIf($[\"${BLACKLISTED}\" = \"1\"]?bl-reject)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("GotoIf($[\"${AGISTATUS}\" = \"FAILURE\" | \"${PBXMODULES_STATUS}\" != \"OK\"]?bl-failed)", StringComparison.Ordinal));
        var failed = lines.FindIndex(l => l.Contains("(bl-failed),NoOp(", StringComparison.Ordinal));
        Assert.True(failed >= 0, conf);
        Assert.Contains($": {mode})", lines[failed], StringComparison.Ordinal);
        Assert.EndsWith(failGoto, lines[failed + 1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("(bl-reject),Hangup(21)", StringComparison.Ordinal));
        Assert.DoesNotContain(mode == "fail-open" ? "fail-closed" : "fail-open", conf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Russia_a_prefix_rule_matches_numbers_written_with_the_trunk_prefix_8_or_the_country_code()
    {
        await using var bl = await BlackListDaemon.StartAsync(new Dictionary<string, object>
        {
            ["defaultRegion"] = "RU",
            ["internationalPrefixes"] = new[] { "00", "810" },
        });
        Assert.Equal("0", (await bl.CheckAsync("84951234567")).Variables["BLACKLISTED"]);

        // Written as the administrator would: with the country code; added with *30.
        var added = await bl.CallAsync("add", "101", "+7495*");
        Assert.Contains(added.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");
        var id = (await bl.RuleIdAsync("+7495*", "feature-code")).ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var caller in new[] { "84951234567", "+74951234567", "74951234567", "8 (495) 765-43-21", "0074951234567", "81074951234567" })
        {
            var call = await bl.CheckAsync(caller);
            Assert.True(call.Variables.GetValueOrDefault("BLACKLISTED") == "1", $"caller '{caller}' passed");
            Assert.Equal(id, call.Variables["BLACKLIST_RULE"]);
        }
        foreach (var caller in new[] { "88121234567", "+78121234567", "+14951234567", "+3749512345" })
            Assert.Equal("0", (await bl.CheckAsync(caller)).Variables["BLACKLISTED"]);

        // The same prefix written with the trunk prefix means the same numbers.
        await bl.CallAsync("add", "101", "8812*");
        var spb = await bl.CheckAsync("+7 812 123 45 67");
        Assert.Equal("1", spb.Variables["BLACKLISTED"]);
        Assert.Equal((await bl.RuleIdAsync("8812*", "feature-code")).ToString(System.Globalization.CultureInfo.InvariantCulture), spb.Variables["BLACKLIST_RULE"]);
    }

    [Fact]
    public async Task Disabling_the_module_removes_its_dialplan_lines_and_routes_without_a_restart_and_enabling_brings_its_list_back()
    {
        await using var bl = await BlackListDaemon.StartAsync(new Dictionary<string, object>(), [new SeedRule(7, "+1 (305) 555-0142", "13055550142")]);
        Assert.Contains("module-black-list/check", await File.ReadAllTextAsync(bl.DialplanFile), StringComparison.Ordinal);
        Assert.Equal("1", (await bl.CheckAsync("+13055550142")).Variables["BLACKLISTED"]);

        bl.Asterisk.ClearReceivedActions();
        await bl.SetModuleEnabledAsync(false);

        // The dialplan is written without the module and Asterisk is told to reload it.
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        await bl.Asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
        var conf = await File.ReadAllTextAsync(bl.DialplanFile, timeout.Token);
        Assert.DoesNotContain("module-black-list", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("bl-reject", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("*30", conf, StringComparison.Ordinal);

        // Its AGI routes answer DISABLED and do nothing else.
        foreach (var handler in new[] { "check", "add", "remove", "block-last" })
        {
            var call = await bl.CallAsync(handler, "+13055550142", "+13055550142");
            Assert.Equal("DISABLED", call.Variables["PBXMODULES_STATUS"]);
            Assert.False(call.Variables.ContainsKey("BLACKLISTED"));
            Assert.False(call.IsHungUp);
            Assert.DoesNotContain(call.Commands, c => c.Name is "HANGUP" or "STREAM FILE" or "ANSWER");
        }

        // Back, still without a restart: the same list applies again.
        bl.Asterisk.ClearReceivedActions();
        await bl.SetModuleEnabledAsync(true);
        await bl.Asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
        Assert.Contains("module-black-list/check", await File.ReadAllTextAsync(bl.DialplanFile, timeout.Token), StringComparison.Ordinal);
        var again = await bl.CheckAsync("+13055550142");
        Assert.Equal("1", again.Variables["BLACKLISTED"]);
        Assert.Equal("7", again.Variables["BLACKLIST_RULE"]);
    }
}
