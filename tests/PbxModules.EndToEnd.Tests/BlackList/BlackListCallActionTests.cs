using System.Net.Http.Json;

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
/// Through the real daemon: each configured action (Hangup is in <see cref="BlackListCallTests"/>),
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
    [InlineData("Busy", 17)]
    [InlineData("Congestion", 34)]
    public async Task Busy_and_congestion_play_their_tone_which_ends_the_call_and_the_dialplans_safety_net_does_the_same(string action, int cause)
    {
        var bl = await StartAsync(new() { ["action"] = action });

        var call = await bl.CheckAsync("13055550142");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), call.Variables["BLACKLIST_RULE"]);
        var exec = Assert.Single(call.Commands, c => c.Name == "EXEC");
        Assert.Equal(action, exec.Argument(0));
        // Asterisk answers -1 and hangs up (fixture fastagi_busy_then_hangup): a HANGUP after it would get 511.
        Assert.DoesNotContain(call.Commands, c => c.Name is "HANGUP" or "ANSWER" or "STREAM FILE");
        Assert.True(exec.Sequence > call.Commands.Single(c => c.Line.StartsWith("SET VARIABLE BLACKLIST_RULE", StringComparison.Ordinal)).Sequence);
        Assert.True(call.IsHungUp);
        Assert.Equal(cause, call.HangupCause);
        Assert.NotEqual("ERROR", call.Variables.GetValueOrDefault("PBXMODULES_STATUS"));

        // The rendered safety net follows the action (it was Hangup(21) whatever the action).
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        var conf = await WaitForDialplanAsync(c => c.Contains($"{action}(10)", StringComparison.Ordinal), timeout.Token);
        var lines = conf.Split('\n').Select(l => l.Trim()).ToList();
        var reject = lines.FindIndex(l => l.Contains("(bl-reject),", StringComparison.Ordinal));
        Assert.EndsWith($",{action}(10)", lines[reject + 1], StringComparison.Ordinal);
        Assert.Contains("(bl-redirect),StackPop()", lines[reject + 2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Play_sound_answers_plays_the_configured_sound_then_hangs_up_and_anonymous_callers_pass_when_not_blocked()
    {
        var bl = await StartAsync(new() { ["action"] = "PlaySound", ["sound"] = "custom/you-are-blocked", ["blockAnonymous"] = false });

        var call = await bl.CheckAsync("+13055550142");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), call.Variables["BLACKLIST_RULE"]);
        Assert.Equal(
            ["ANSWER", "STREAM FILE custom/you-are-blocked \"\"", "EXEC Hangup 21"],
            call.Commands.Where(c => c.Name is "ANSWER" or "STREAM FILE" or "HANGUP" or "EXEC").Select(c => c.Line));
        Assert.Equal(21, call.HangupCause);

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
    public async Task Redirect_names_the_destination_for_the_dialplan_which_leaves_the_hooks_Gosub_frame_before_jumping_there()
    {
        // A destination that ends in Return() — the real Asterisk showed bl-ret,s,2:Return() going back
        // into the route (from-pbxmodules,100,3:NoOp(AFTER-HOOKS BLACKLISTED=1)) when the AGI set the context.
        var bl = await StartAsync(new()
        {
            ["action"] = "Redirect",
            ["redirectContext"] = "bl-ret",
            ["redirectExtension"] = "s",
            ["redirectPriority"] = 1,
        });

        var call = await bl.CheckAsync("(305) 555-0142");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(Rule.ToString(), call.Variables["BLACKLIST_RULE"]);
        Assert.Equal("bl-ret,s,1", call.Variables["BLACKLIST_REDIRECT"]);
        // The handler does not move the channel from inside the Gosub frame: it goes on in the hook.
        Assert.DoesNotContain(call.Commands, c => c.Name is "SET CONTEXT" or "SET EXTENSION" or "SET PRIORITY" or "HANGUP" or "EXEC");
        Assert.Equal(("from-test", "100", "2"), call.DialplanLocation);
        Assert.False(call.IsHungUp);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);

        // …where BLACKLISTED=1 leads to bl-reject, BLACKLIST_REDIRECT to bl-redirect: StackPop(), then Goto.
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        var conf = await WaitForDialplanAsync(c => c.Contains("Goto(bl-ret,s,1)", StringComparison.Ordinal), timeout.Token);
        var lines = conf.Split('\n').Select(l => l.Trim()).ToList();
        var redirect = lines.FindIndex(l => l.EndsWith("(bl-redirect),StackPop()", StringComparison.Ordinal));
        Assert.True(redirect > 0, conf);
        Assert.EndsWith(",Goto(${BLACKLIST_REDIRECT})", lines[redirect + 1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("Set(BLACKLIST_REDIRECT=)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Play_sound_with_a_sound_Asterisk_does_not_have_hangs_up_with_the_configured_cause_and_logs_one_warning()
    {
        var bl = await StartAsync(new() { ["action"] = "PlaySound", ["sound"] = "custom/never-installed", ["hangupCause"] = 21 });

        var calls = new List<PbxModules.Sdk.Testing.Agi.SimulatedAgiCall>();
        for (var i = 0; i < 3; i++) calls.Add(await bl.CallAsync("check", "+13055550142", sounds: new HashSet<string>()));

        Assert.All(calls, call =>
        {
            Assert.Equal("1", call.Variables["BLACKLISTED"]);
            Assert.Contains(call.Commands, c => c.Line == "STREAM FILE custom/never-installed \"\"");
            Assert.Equal("EXEC Hangup 21", call.Commands[^1].Line);
            Assert.Equal(21, call.HangupCause);
            Assert.NotEqual("ERROR", call.Variables.GetValueOrDefault("PBXMODULES_STATUS"));
        });
        var output = bl.Output;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "Asterisk has no sound 'custom/never-installed'"));
        Assert.DoesNotContain("AgiCommandException", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_PlaySound_with_a_sound_that_is_not_in_the_sounds_directory_or_a_name_with_a_path_is_a_422_naming_the_field()
    {
        await Bl.PutSettingsAsync(new Dictionary<string, object>());
        foreach (var sound in new[] { "custom/not-there", "../../etc/passwd", "/var/lib/asterisk/sounds/custom/you-are-blocked" })
        {
            using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
            // PATCH (a merge patch): PUT needs the whole settings object, and this is about the sound.
            using var patch = new HttpRequestMessage(HttpMethod.Patch, "/pbxcore/api/v3/module-black-list/settings")
            {
                Content = JsonContent.Create(new Dictionary<string, object> { ["action"] = "PlaySound", ["sound"] = sound }, new System.Net.Http.Headers.MediaTypeHeaderValue("application/merge-patch+json")),
            };
            using var response = await Bl.Daemon.Http.SendAsync(patch, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity, $"{sound}: {(int)response.StatusCode} {body}");
            Assert.True(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("messages").GetProperty("fields").TryGetProperty("sound", out _), body);
        }
        Assert.Equal("Hangup", (await Bl.Daemon.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/pbxcore/api/v3/module-black-list/settings")).GetProperty("data").GetProperty("action").GetString());
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
