using Microsoft.Data.Sqlite;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Dialplan;

namespace ModuleBlackList.Tests;

public sealed class BlackListConfTests
{
    private static async Task<string> RenderAsync(BlackListService blackList, Func<Task>? whileContributing = null)
    {
        var builder = new DialplanBuilder("module-black-list", "agi://127.0.0.1:4573");
        var contributing = new BlackListConf(blackList).ContributeAsync(builder, CancellationToken.None).AsTask();
        if (whileContributing is not null) await whileContributing();
        await contributing;
        return string.Join('\n', builder.IncomingBeforeDial(IncomingStage.PreSystem).Lines.Select(l => $"{l.Label}:{l.RenderBody()}"));
    }

    [Theory]
    [InlineData(FailMode.Open, "Goto(bl-done)")]
    [InlineData(FailMode.Closed, "Goto(bl-reject)")]
    public async Task The_fail_branch_follows_the_stored_fail_mode(FailMode mode, string failGoto)
    {
        await using var m = await ModuleHarness.StartAsync(new BlackListSettings { FailMode = mode });

        var lines = (await RenderAsync(m.BlackList)).Split('\n');

        var failed = Array.FindIndex(lines, l => l.StartsWith("bl-failed:NoOp(", StringComparison.Ordinal));
        Assert.Contains($"fail-{mode.ToString().ToLowerInvariant()}", lines[failed], StringComparison.Ordinal);
        Assert.Equal(":" + failGoto, lines[failed + 1]);
        Assert.Contains("bl-reject:Hangup(21)", lines);
        Assert.Contains(lines, l => l.Contains("AGI(agi://127.0.0.1:4573/module-black-list/check,${ARG1})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dialplan_composed_while_the_settings_are_still_loading_renders_the_stored_fail_mode()
    {
        // The host composes the dialplan as soon as the module is enabled; the service loads its
        // settings in the background. Hold the database locked so that loading cannot finish yet.
        await using var m = await ModuleHarness.StartAsync(new BlackListSettings { FailMode = FailMode.Closed }, start: false, onFile: true);
        await using var locker = new SqliteConnection(m.ConnectionString);
        await locker.OpenAsync();
        await using (var begin = locker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        await m.BlackList.StartAsync(CancellationToken.None);

        // The lock goes only once the contributor has been called (and, before the fix, had rendered).
        var rendered = await RenderAsync(m.BlackList, whileContributing: async () =>
        {
            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        });

        Assert.Contains("fail-closed", rendered, StringComparison.Ordinal);
        Assert.Contains(":Goto(bl-reject)", rendered, StringComparison.Ordinal);
        await m.BlackList.Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
