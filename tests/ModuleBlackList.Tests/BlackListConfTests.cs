using Microsoft.Extensions.DependencyInjection;
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
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { FailMode = mode });

        var lines = (await RenderAsync(m.BlackList)).Split('\n');

        var failed = Array.FindIndex(lines, l => l.StartsWith("bl-failed:NoOp(", StringComparison.Ordinal));
        Assert.Contains($"fail-{mode.ToString().ToLowerInvariant()}", lines[failed], StringComparison.Ordinal);
        Assert.Equal(":" + failGoto, lines[failed + 1]);
        Assert.Contains("bl-reject:GotoIf($[\"${BLACKLIST_REDIRECT}\" != \"\"]?bl-redirect)", lines);
        Assert.Contains(lines, l => l.Contains("AGI(agi://127.0.0.1:4573/module-black-list/check,${ARG1},${CHANNEL(linkedid)})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dialplan_composed_while_the_settings_are_still_loading_renders_the_stored_fail_mode()
    {
        // The host composes the dialplan as soon as the module is enabled; the service loads its
        // settings in the background. Hold the database locked so that loading cannot finish yet. The host's
        // service has loaded by the time the host is up: this is a second one, from the module's container, not started.
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { FailMode = FailMode.Closed });
        var loading = ActivatorUtilities.CreateInstance<BlackListService>(m.Services);
        // The module's database is in WAL mode, where a writer does not stop readers: in exclusive locking mode it does.
        var locker = new SqliteConnection(new SqliteConnectionStringBuilder(m.ConnectionString) { Pooling = false }.ToString());
        await locker.OpenAsync();
        await using (var begin = locker.CreateCommand())
        {
            begin.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; UPDATE m_BlackListSettings SET Json = Json;";
            await begin.ExecuteNonQueryAsync();
        }
        await loading.StartAsync(CancellationToken.None);

        // The lock goes only once the contributor has been called: a contributor that rendered without
        // waiting for the settings would have rendered by then.
        var rendered = await RenderAsync(loading, whileContributing: async () =>
        {
            // Closing rolls back; exclusive locking mode keeps the lock until the connection closes.
            await locker.DisposeAsync();
        });

        Assert.Contains("fail-closed", rendered, StringComparison.Ordinal);
        Assert.Contains(":Goto(bl-reject)", rendered, StringComparison.Ordinal);
        await loading.Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The lines from the reject label to the done label: the safety net.</summary>
    private static string[] SafetyNet(string rendered)
    {
        var lines = rendered.Split('\n');
        var from = Array.FindIndex(lines, l => l.StartsWith("bl-reject:", StringComparison.Ordinal));
        var to = Array.FindIndex(lines, l => l.StartsWith("bl-redirect:", StringComparison.Ordinal));
        return lines[(from + 1)..to];
    }

    [Theory]
    [InlineData(BlockAction.Hangup, 21, new[] { ":Hangup(21)" })]
    [InlineData(BlockAction.Hangup, 17, new[] { ":Hangup(17)" })]
    [InlineData(BlockAction.Busy, 21, new[] { ":Busy(10)" })]
    [InlineData(BlockAction.Congestion, 21, new[] { ":Congestion(10)" })]
    [InlineData(BlockAction.PlaySound, 1, new[] { ":Playback(custom/you-are-blocked)", ":Hangup(1)" })]
    [InlineData(BlockAction.Redirect, 21, new[] { ":StackPop()", ":Goto(bl-ret,s,2)" })]
    public async Task The_safety_net_does_what_the_configured_action_does_with_the_configured_cause(BlockAction action, int cause, string[] expected)
    {
        await using var m = await BlackListHost.StartAsync(new BlackListSettings
        {
            Action = action,
            HangupCause = cause,
            Sound = "custom/you-are-blocked",
            RedirectContext = "bl-ret",
            RedirectExtension = "s",
            RedirectPriority = 2,
        });

        Assert.Equal(expected, SafetyNet(await RenderAsync(m.BlackList)));
    }

    [Fact]
    public async Task A_redirect_leaves_the_hooks_Gosub_frame_before_it_jumps_so_a_destination_that_returns_cannot_come_back_into_the_route()
    {
        // The real Asterisk showed: bl-ret,s,2:Return() > from-pbxmodules,100,3:NoOp(AFTER-HOOKS BLACKLISTED=1).
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { Action = BlockAction.Redirect, RedirectContext = "bl-ret" });

        var lines = (await RenderAsync(m.BlackList)).Split('\n');

        // BLACKLISTED=1 → bl-reject → (the handler set BLACKLIST_REDIRECT) → bl-redirect: the frame is popped
        // right before the jump, and the jump is the last thing the hook does for a blocked caller.
        Assert.Equal(":GotoIf($[\"${BLACKLISTED}\" = \"1\"]?bl-reject)", lines[4]);
        var redirect = Array.IndexOf(lines, "bl-redirect:StackPop()");
        Assert.True(redirect > 0, string.Join('\n', lines));
        Assert.Equal(":Goto(${BLACKLIST_REDIRECT})", lines[redirect + 1]);
        Assert.StartsWith("bl-done:", lines[redirect + 2], StringComparison.Ordinal);
        // The rendered fallback (fail-closed, or a handler that could not finish) pops the frame too.
        var net = SafetyNet(string.Join('\n', lines));
        Assert.Equal([":StackPop()", ":Goto(bl-ret,s,1)"], net);
        // Nothing else in the hook changes context without popping: every Goto out of the hook follows a StackPop.
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains("Goto(bl-", StringComparison.Ordinal) || lines[i].Contains("?bl-", StringComparison.Ordinal)) continue;
            if (lines[i].Contains("Goto(", StringComparison.Ordinal)) Assert.EndsWith("StackPop()", lines[i - 1], StringComparison.Ordinal);
        }
        // The variable is cleared before the check, so a value inherited from elsewhere cannot redirect a caller.
        Assert.True(Array.IndexOf(lines, ":Set(BLACKLIST_REDIRECT=)") < Array.FindIndex(lines, l => l.Contains("AGI(", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("action")]
    [InlineData("hangupCause")]
    [InlineData("sound")]
    [InlineData("redirectExtension")]
    public async Task Changing_what_the_safety_net_renders_refreshes_the_dialplan(string changed)
    {
        var before = new BlackListSettings { Action = changed == "redirectExtension" ? BlockAction.Redirect : BlockAction.PlaySound, RedirectContext = "bl-ret" };
        await using var m = await BlackListHost.StartAsync(before);
        var after = new BlackListSettings
        {
            Action = changed == "action" ? BlockAction.Busy : before.Action,
            HangupCause = changed == "hangupCause" ? 17 : before.HangupCause,
            Sound = changed == "sound" ? "custom/other" : before.Sound,
            RedirectContext = before.RedirectContext,
            RedirectExtension = changed == "redirectExtension" ? "100" : before.RedirectExtension,
        };

        Assert.Null(await m.BlackList.UpdateSettingsAsync(after, CancellationToken.None));

        Assert.Equal(1, m.DialplanRefreshes);
        Assert.NotEqual(SafetyNet(await RenderAsync(m.BlackList)), SafetyNet(await RenderWithAsync(before)));
    }

    private static async Task<string> RenderWithAsync(BlackListSettings settings)
    {
        await using var m = await BlackListHost.StartAsync(settings);
        return await RenderAsync(m.BlackList);
    }
}
