namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>One daemon for <see cref="BlackListCallActionTests"/>, one rule seeded; each test sets the settings it needs over REST.</summary>
public sealed class ConfigurableBlackListDaemon : IAsyncLifetime
{
    public const int Rule = 42;
    private BlackListDaemon? _daemon;

    internal BlackListDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
        => _daemon = await BlackListDaemon.StartAsync(new Dictionary<string, object>(), [new SeedRule(Rule, "+1 (305) 555-0142", "13055550142")]);

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}

/// <summary>
/// Issue 5, through the real daemon: each configured action (Hangup is in <see cref="BlackListCallTests"/>),
/// prefixes in a region with a national trunk prefix (RU), and disabling the module without a
/// restart. Every test first replaces the settings over REST (the rest default), so none depends on
/// another's.
/// </summary>
public sealed class BlackListCallActionTests(ConfigurableBlackListDaemon fixture) : IClassFixture<ConfigurableBlackListDaemon>
{
    private const int Rule = ConfigurableBlackListDaemon.Rule;

    private BlackListDaemon Bl => fixture.Daemon;

    private async Task<BlackListDaemon> StartAsync(Dictionary<string, object> settings)
    {
        await Bl.PutSettingsAsync(settings);
        return Bl;
    }

    [Theory]
    [InlineData("Busy")]
    [InlineData("Congestion")]
    public async Task Busy_and_congestion_play_their_tone_then_hang_up(string action)
    {
        var bl = await StartAsync(new() { ["action"] = action });

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
        var bl = await StartAsync(new() { ["action"] = "PlaySound", ["sound"] = "custom/you-are-blocked", ["blockAnonymous"] = false });

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
        var bl = await StartAsync(new()
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

    [Fact]
    public async Task In_Russia_a_prefix_rule_matches_numbers_written_with_the_trunk_prefix_8_or_the_country_code()
    {
        await Bl.PutSettingsAsync(new Dictionary<string, object>
        {
            ["defaultRegion"] = "RU",
            ["internationalPrefixes"] = new[] { "00", "810" },
        });
        Assert.Equal("0", (await Bl.CheckAsync("84951234567")).Variables["BLACKLISTED"]);

        // Written as the administrator would: with the country code; added with *30.
        var added = await Bl.CallAsync("add", "101", "+7495*");
        Assert.Contains(added.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");
        var id = (await Bl.RuleIdAsync("+7495*", "feature-code")).ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var caller in new[] { "84951234567", "+74951234567", "74951234567", "8 (495) 765-43-21", "0074951234567", "81074951234567" })
        {
            var call = await Bl.CheckAsync(caller);
            Assert.True(call.Variables.GetValueOrDefault("BLACKLISTED") == "1", $"caller '{caller}' passed");
            Assert.Equal(id, call.Variables["BLACKLIST_RULE"]);
        }
        foreach (var caller in new[] { "88121234567", "+78121234567", "+14951234567", "+3749512345" })
            Assert.Equal("0", (await Bl.CheckAsync(caller)).Variables["BLACKLISTED"]);

        // The same prefix written with the trunk prefix means the same numbers.
        await Bl.CallAsync("add", "101", "8812*");
        var spb = await Bl.CheckAsync("+7 812 123 45 67");
        Assert.Equal("1", spb.Variables["BLACKLISTED"]);
        Assert.Equal((await Bl.RuleIdAsync("8812*", "feature-code")).ToString(System.Globalization.CultureInfo.InvariantCulture), spb.Variables["BLACKLIST_RULE"]);
    }

    [Fact]
    public async Task Disabling_the_module_removes_its_dialplan_lines_and_routes_without_a_restart_and_enabling_brings_its_list_back()
    {
        await Bl.PutSettingsAsync(new Dictionary<string, object>());
        Assert.Contains("module-black-list/check", await File.ReadAllTextAsync(Bl.DialplanFile), StringComparison.Ordinal);
        Assert.Equal("1", (await Bl.CheckAsync("+13055550142")).Variables["BLACKLISTED"]);

        Bl.Asterisk.ClearReceivedActions();
        await Bl.SetModuleEnabledAsync(false);

        // The dialplan is written without the module and Asterisk is told to reload it.
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        var conf = await WaitForDialplanAsync(c => !c.Contains("module-black-list", StringComparison.Ordinal), timeout.Token);
        await Bl.Asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
        Assert.DoesNotContain("bl-reject", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("*30", conf, StringComparison.Ordinal);

        // Its AGI routes answer DISABLED and do nothing else.
        foreach (var handler in new[] { "check", "add", "remove", "block-last" })
        {
            var call = await Bl.CallAsync(handler, "+13055550142", "+13055550142");
            Assert.Equal("DISABLED", call.Variables["PBXMODULES_STATUS"]);
            Assert.False(call.Variables.ContainsKey("BLACKLISTED"));
            Assert.False(call.IsHungUp);
            Assert.DoesNotContain(call.Commands, c => c.Name is "HANGUP" or "STREAM FILE" or "ANSWER");
        }

        // Back, still without a restart: the same list applies again.
        Bl.Asterisk.ClearReceivedActions();
        await Bl.SetModuleEnabledAsync(true);
        await WaitForDialplanAsync(c => c.Contains("module-black-list/check", StringComparison.Ordinal), timeout.Token);
        await Bl.Asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
        var again = await Bl.CheckAsync("+13055550142");
        Assert.Equal("1", again.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), again.Variables["BLACKLIST_RULE"]);
    }

    /// <summary>The dialplan file once it satisfies <paramref name="done"/> (written atomically; polled as a safety net).</summary>
    private async Task<string> WaitForDialplanAsync(Func<string, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var conf = await File.ReadAllTextAsync(Bl.DialplanFile, cancellationToken);
            if (done(conf)) return conf;
            await Task.Delay(100, cancellationToken);
        }
    }
}
