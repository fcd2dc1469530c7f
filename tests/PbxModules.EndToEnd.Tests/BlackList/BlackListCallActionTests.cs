namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// Issue 5: each configured action, through the real daemon (one per action: settings are read when
/// the module starts). Hangup is covered by <see cref="BlackListCallTests"/>.
/// </summary>
public sealed class BlackListCallActionTests
{
    private const int Rule = 42;

    private static Task<BlackListDaemon> StartAsync(Dictionary<string, object> settings)
        => BlackListDaemon.StartAsync(settings, [new SeedRule(Rule, "+1 (305) 555-0142", "13055550142")]);

    [Theory]
    [InlineData("Busy")]
    [InlineData("Congestion")]
    public async Task Busy_and_congestion_play_their_tone_then_hang_up(string action)
    {
        await using var bl = await StartAsync(new() { ["action"] = action });

        var call = await bl.CheckAsync("13055550142");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), call.Variables["BLACKLIST_RULE"]);
        var exec = Assert.Single(call.Commands, c => c.Name == "EXEC");
        Assert.Equal(action, exec.Argument(0));
        var hangup = Assert.Single(call.Commands, c => c.Name == "HANGUP");
        Assert.True(exec.Sequence < hangup.Sequence, string.Join(" | ", call.Commands.Select(c => c.Line)));
        Assert.True(call.IsHungUp);
        Assert.DoesNotContain(call.Commands, c => c.Name is "ANSWER" or "STREAM FILE");
    }

    [Fact]
    public async Task Play_sound_answers_plays_the_configured_sound_then_hangs_up_and_anonymous_callers_pass_when_not_blocked()
    {
        await using var bl = await StartAsync(new() { ["action"] = "PlaySound", ["sound"] = "custom/you-are-blocked", ["blockAnonymous"] = false });

        var call = await bl.CheckAsync("+13055550142");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), call.Variables["BLACKLIST_RULE"]);
        Assert.Equal(
            ["ANSWER", "STREAM FILE", "HANGUP"],
            call.Commands.Select(c => c.Name).Where(n => n is "ANSWER" or "STREAM FILE" or "HANGUP" or "EXEC"));
        Assert.Equal("custom/you-are-blocked", call.Commands.Single(c => c.Name == "STREAM FILE").Argument(0));

        // Anonymous blocking is off (the default): a withheld number is not rejected.
        foreach (var anonymous in new string?[] { null, "", "anonymous" })
        {
            var passed = await bl.CheckAsync(anonymous);
            Assert.Equal("0", passed.Variables["BLACKLISTED"]);
            Assert.Equal("OK", passed.Variables["PBXMODULES_STATUS"]);
            Assert.False(passed.IsHungUp);
        }
    }

    [Fact]
    public async Task Redirect_sends_the_caller_to_the_configured_context_extension_and_priority_without_hanging_up()
    {
        await using var bl = await StartAsync(new()
        {
            ["action"] = "Redirect",
            ["redirectContext"] = "blocked-callers",
            ["redirectExtension"] = "s",
            ["redirectPriority"] = 3,
        });

        var call = await bl.CheckAsync("(305) 555-0142");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), call.Variables["BLACKLIST_RULE"]);
        Assert.Equal("blocked-callers", call.Commands.Single(c => c.Name == "SET CONTEXT").Argument(0));
        Assert.Equal("s", call.Commands.Single(c => c.Name == "SET EXTENSION").Argument(0));
        Assert.Equal("3", call.Commands.Single(c => c.Name == "SET PRIORITY").Argument(0));
        Assert.Equal(("blocked-callers", "s", "3"), call.DialplanLocation);
        Assert.False(call.IsHungUp);
        Assert.DoesNotContain(call.Commands, c => c.Name == "HANGUP");
    }
}
