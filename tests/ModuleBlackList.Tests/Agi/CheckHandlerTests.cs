using Microsoft.Extensions.Logging;
using ModuleBlackList.Settings;
using ModuleBlackList.Sounds;
using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>
/// The in-call check's AGI conversation with the simulated Asterisk (answering as the fixtures show):
/// what it sends for each action, and that a missing sound, Busy and Congestion are not failures.
/// </summary>
public sealed class CheckHandlerTests
{
    private const string Listed = "+1 (305) 555-0142";

    private static async Task<(BlackListHost Module, AgiCalls Agi)> StartAsync(BlackListSettings settings)
    {
        var m = await BlackListHost.StartAsync(settings);
        var (rule, _) = await m.BlackList.AddAsync(new RuleInput { Number = Listed }, "rest", CancellationToken.None);
        Assert.NotNull(rule);
        return (m, new AgiCalls(m));
    }

    private static SimulatedAgiCallOptions Caller(string callerId = Listed, ISet<string>? sounds = null)
        => new() { CallerId = callerId, Arguments = ["+12125550000", "1796155404.40"], Sounds = sounds };

    [Fact]
    public async Task A_redirect_is_left_to_the_dialplan_the_handler_only_names_the_destination()
    {
        // Setting the context from inside the Gosub frame made Return() at the destination come back into the route.
        var (m, agi) = await StartAsync(new BlackListSettings { Action = BlockAction.Redirect, RedirectContext = "bl-ret", RedirectExtension = "s", RedirectPriority = 1 });
        await using var _ = m;

        var outcome = await agi.CallAsync("check", Caller());

        Assert.Null(outcome.Escaped);
        Assert.Equal(["SET VARIABLE BLACKLISTED 1", $"SET VARIABLE BLACKLIST_RULE 1", "SET VARIABLE BLACKLIST_REDIRECT bl-ret,s,1"], outcome.Lines);
        Assert.Equal("bl-ret,s,1", outcome.Call.Variables["BLACKLIST_REDIRECT"]);
        // The channel goes on where the AGI ran, into the hook's StackPop() + Goto(${BLACKLIST_REDIRECT}).
        Assert.Equal(("from-test", "100", "2"), outcome.Call.DialplanLocation);
        Assert.False(outcome.Call.IsHungUp);
    }

    [Theory]
    [InlineData(BlockAction.Busy, "EXEC Busy 10", 17)]
    [InlineData(BlockAction.Congestion, "EXEC Congestion 10", 34)]
    public async Task Busy_and_congestion_end_the_call_themselves_and_no_HANGUP_is_sent_to_the_dead_channel(BlockAction action, string exec, int cause)
    {
        var (m, agi) = await StartAsync(new BlackListSettings { Action = action });
        await using var _ = m;

        var outcome = await agi.CallAsync("check", Caller());

        // The variables first (nothing runs after the hang-up), then the tone; Asterisk answers -1 and HANGUP.
        Assert.Equal(["SET VARIABLE BLACKLISTED 1", "SET VARIABLE BLACKLIST_RULE 1", exec], outcome.Lines);
        Assert.Null(outcome.Escaped);
        Assert.Equal(cause, outcome.Call.HangupCause);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(17)]
    public async Task The_hangup_action_uses_the_configured_cause_not_the_unknown_cause_0_of_the_HANGUP_command(int cause)
    {
        var (m, agi) = await StartAsync(new BlackListSettings { HangupCause = cause });
        await using var _ = m;

        var outcome = await agi.CallAsync("check", Caller());

        Assert.Equal(["SET VARIABLE BLACKLISTED 1", "SET VARIABLE BLACKLIST_RULE 1", $"EXEC Hangup {cause}"], outcome.Lines);
        Assert.Equal(cause, outcome.Call.HangupCause);
        Assert.Null(outcome.Escaped);
    }

    [Fact]
    public async Task Play_sound_plays_the_sound_then_hangs_up_with_the_configured_cause()
    {
        var (m, agi) = await StartAsync(new BlackListSettings { Action = BlockAction.PlaySound, Sound = "custom/you-are-blocked", HangupCause = 1 });
        await using var _ = m;

        var outcome = await agi.CallAsync("check", Caller(sounds: new HashSet<string> { "custom/you-are-blocked" }));

        Assert.Equal(["SET VARIABLE BLACKLISTED 1", "SET VARIABLE BLACKLIST_RULE 1", "ANSWER", "STREAM FILE custom/you-are-blocked \"\"", "EXEC Hangup 1"], outcome.Lines);
        Assert.Equal(1, outcome.Call.HangupCause);
        Assert.Null(outcome.Escaped);
        Assert.Empty(m.Logs.AtLeast(LogLevel.Warning));
    }

    [Fact]
    public async Task A_sound_Asterisk_does_not_have_falls_back_to_the_configured_hang_up_with_one_warning_not_a_failure_per_call()
    {
        var (m, agi) = await StartAsync(new BlackListSettings { Action = BlockAction.PlaySound, Sound = "custom/no-such-sound" });
        await using var _ = m;
        var noSounds = new HashSet<string>(); // the fixture's peer: STREAM FILE answers "200 result=-1 endpos=0"

        var outcomes = new List<AgiCalls.Outcome>();
        for (var i = 0; i < 3; i++) outcomes.Add(await agi.CallAsync("check", Caller(sounds: noSounds)));

        Assert.All(outcomes, o =>
        {
            Assert.Null(o.Escaped);
            Assert.Equal(["SET VARIABLE BLACKLISTED 1", "SET VARIABLE BLACKLIST_RULE 1", "ANSWER", "STREAM FILE custom/no-such-sound \"\"", "EXEC Hangup 21"], o.Lines);
            Assert.Equal(21, o.Call.HangupCause);
        });
        var warning = Assert.Single(m.Logs.AtLeast(LogLevel.Warning));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Null(warning.Exception);
        Assert.Contains("no sound 'custom/no-such-sound'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("200 result=-1 endpos=0", warning.Message, StringComparison.Ordinal);

        // Once the interval is over, the next miss is logged again with how many calls it hit meanwhile.
        m.Time.Advance(MissingSoundReporter.Interval);
        Assert.Null((await agi.CallAsync("check", Caller(sounds: noSounds))).Escaped);
        var warnings = m.Logs.AtLeast(LogLevel.Warning);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("2 more call(s)", warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_who_is_not_listed_passes_with_no_action()
    {
        var (m, agi) = await StartAsync(new BlackListSettings());
        await using var _ = m;

        var outcome = await agi.CallAsync("check", Caller("+1 212 555 0199"));

        Assert.Equal(["SET VARIABLE BLACKLISTED 0", "SET VARIABLE BLACKLIST_RULE \"\""], outcome.Lines);
        Assert.False(outcome.Call.IsHungUp);
    }
}
