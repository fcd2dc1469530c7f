using Microsoft.Data.Sqlite;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// Through the real daemon: the fail modes when the module's database is broken, and the
/// dialplan branches for both. Each test has its own daemon, its database broken before start.
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
        Assert.Equal("EXEC Hangup 21", call.Commands[^1].Line);

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
        var reject = lines.FindIndex(l => l.Contains("(bl-reject),GotoIf($[\"${BLACKLIST_REDIRECT}\" != \"\"]?bl-redirect)", StringComparison.Ordinal));
        Assert.True(reject >= 0, conf);
        Assert.EndsWith(",Hangup(21)", lines[reject + 1], StringComparison.Ordinal);
        Assert.DoesNotContain(mode == "fail-open" ? "fail-closed" : "fail-open", conf, StringComparison.Ordinal);
    }
}
