using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// One daemon for <see cref="BlackListCallTests"/>: region US, action Hangup, anonymous callers
/// blocked, fail-open, flood protection off (see <see cref="BlackListCallFloodAndLastCallerTests"/>), and
/// rules seeded in the database before start. Each test uses its own numbers, so the tests do not
/// depend on each other's rules.
/// </summary>
public sealed class UsBlackListDaemon : IAsyncLifetime
{
    public const int Prefix1800 = 1;
    public const int Allow8009990000 = 2;
    public const int ScopedToDid = 3;
    public const int Expired = 4;
    public const int ExpiresTomorrow = 5;
    public const int Disabled = 6;
    public const int Listed = 7;
    public const int ScopedAllow = 8;

    /// <summary>The route <see cref="ScopedToDid"/> applies to, as the PBX passes it (<c>${EXTEN}</c>).</summary>
    public const string ListedDid = "+1 (212) 555-0000";

    private BlackListDaemon? _daemon;

    internal BlackListDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        var now = DateTime.UtcNow;
        _daemon = await BlackListDaemon.StartAsync(
            new Dictionary<string, object>
            {
                ["defaultRegion"] = "US",
                ["action"] = "Hangup",
                ["blockAnonymous"] = true,
                ["floodProtection"] = false,
                ["failMode"] = "Open",
            },
            [
                new SeedRule(Prefix1800, "1800*", "1800"),
                new SeedRule(Allow8009990000, "+1 800 999 0000", "18009990000") { Kind = "Allow" },
                new SeedRule(ScopedToDid, "+1 (415) 555-0150", "14155550150") { Scope = "12125550000" },
                new SeedRule(Expired, "+1 415 555 0160", "14155550160") { ExpiresAt = now.AddDays(-1) },
                new SeedRule(ExpiresTomorrow, "+1 415 555 0170", "14155550170") { ExpiresAt = now.AddDays(1) },
                new SeedRule(Disabled, "+1 415 555 0180", "14155550180") { Enabled = false },
                new SeedRule(Listed, "+1 415 555 0190", "14155550190"),
                new SeedRule(ScopedAllow, "+1 800 999 0001", "18009990001") { Kind = "Allow", Scope = "12125550000" },
            ]);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}

/// <summary>
/// The in-call check of ModuleBlackList through the real daemon and the simulated Asterisk:
/// who is rejected and how, who passes, how numbers written differently meet, allow list, scope per
/// route, expiry, anonymous callers and the feature codes <c>*30</c> / <c>*31</c>.
/// </summary>
public sealed class BlackListCallTests(UsBlackListDaemon fixture) : IClassFixture<UsBlackListDaemon>
{
    private BlackListDaemon Bl => fixture.Daemon;

    [Fact]
    public async Task A_listed_caller_is_hung_up_with_BLACKLISTED_1_and_the_rule_that_matched()
    {
        var call = await Bl.CheckAsync("+14155550190");

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(UsBlackListDaemon.Listed.ToString(), call.Variables["BLACKLIST_RULE"]);
        // Hung up with the configured cause (21, call rejected); the HANGUP command would leave cause 0, "Unknown".
        Assert.Equal("EXEC Hangup 21", call.Commands[^1].Line);
        Assert.Equal(21, call.HangupCause);
        Assert.True(call.IsHungUp);
        // Hangup is the action: nothing answered, played or redirected on the way.
        Assert.DoesNotContain(call.Commands, c => c.Name is "ANSWER" or "HANGUP" or "STREAM FILE" or "SET CONTEXT");
        Assert.Single(call.Commands, c => c.Name == "EXEC");
    }

    [Fact]
    public async Task An_unlisted_caller_passes_with_BLACKLISTED_0_and_status_OK_and_the_dialplan_continues()
    {
        var call = await Bl.CheckAsync("+1 (212) 555-0199", "+1 (212) 555-0000");

        Assert.Equal("0", call.Variables["BLACKLISTED"]);
        Assert.Equal("", call.Variables["BLACKLIST_RULE"]);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
        Assert.False(call.IsHungUp);
        Assert.DoesNotContain(call.Commands, c => c.Name is "HANGUP" or "ANSWER" or "EXEC" or "STREAM FILE" or "SET CONTEXT" or "SET EXTENSION" or "SET PRIORITY");
        // Where the AGI ran is where the dialplan goes on.
        Assert.Equal(("from-test", "100", "2"), call.DialplanLocation);
    }

    [Theory]
    [InlineData("+1 (800) 555-0100")]
    [InlineData("0018005550100")]
    [InlineData("18005550100")]
    public async Task A_rule_matches_the_caller_however_either_of_them_writes_the_number(string ruleWritten)
    {
        // Each way of writing the rule gets its own line (last two digits), so the cases stay independent.
        var line = ruleWritten switch { "+1 (800) 555-0100" => "10", "0018005550100" => "11", _ => "12" };
        var rule = ruleWritten.Replace("0100", "01" + line, StringComparison.Ordinal);
        var added = await Bl.CallAsync("add", "101", rule);
        Assert.Contains(added.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");
        var id = await Bl.RuleIdAsync(rule, "feature-code");

        foreach (var caller in new[] { $"+1 (800) 555-01{line}", $"00180055501{line}", $"011 1 800 555 01{line}", $"180055501{line}", $"(800) 555-01{line}", $"800.555.01{line}" })
        {
            var call = await Bl.CheckAsync(caller);
            Assert.True(call.Variables.GetValueOrDefault("BLACKLISTED") == "1", $"rule '{rule}', caller '{caller}': BLACKLISTED={call.Variables.GetValueOrDefault("BLACKLISTED")}");
            // The exact rule decides, not the 1800* prefix the fixture also holds.
            Assert.Equal(id.ToString(), call.Variables["BLACKLIST_RULE"]);
        }
    }

    [Fact]
    public async Task A_prefix_rule_blocks_every_number_under_it_and_no_other()
    {
        foreach (var caller in new[] { "1 (800) 123-4567", "+18001234567", "8001234567", "0018007654321" })
        {
            var call = await Bl.CheckAsync(caller);
            Assert.True(call.Variables.GetValueOrDefault("BLACKLISTED") == "1", $"caller '{caller}' passed");
            Assert.Equal(UsBlackListDaemon.Prefix1800.ToString(), call.Variables["BLACKLIST_RULE"]);
        }
        foreach (var caller in new[] { "+1 801 123 4567", "+44 1800 123456", "+1 (212) 180-0000" })
            Assert.Equal("0", (await Bl.CheckAsync(caller)).Variables["BLACKLISTED"]);
    }

    [Fact]
    public async Task An_allow_rule_lets_a_caller_through_a_block_prefix_and_names_itself()
    {
        var call = await Bl.CheckAsync("+1 (800) 999-0000");

        Assert.Equal("0", call.Variables["BLACKLISTED"]);
        Assert.Equal($"allow:{UsBlackListDaemon.Allow8009990000}", call.Variables["BLACKLIST_RULE"]);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
        Assert.DoesNotContain(call.Commands, c => c.Name == "HANGUP");
    }

    [Fact]
    public async Task A_rule_scoped_to_a_route_applies_only_on_that_route()
    {
        // Blocked on the listed DID however the route's number is written…
        foreach (var did in new[] { UsBlackListDaemon.ListedDid, "12125550000", "2125550000" })
        {
            var call = await Bl.CheckAsync("+14155550150", did);
            Assert.True(call.Variables.GetValueOrDefault("BLACKLISTED") == "1", $"route '{did}'");
            Assert.Equal(UsBlackListDaemon.ScopedToDid.ToString(), call.Variables["BLACKLIST_RULE"]);
        }
        // …and not on another route, nor when the route is unknown.
        Assert.Equal("0", (await Bl.CheckAsync("+14155550150", "+1 (212) 555-0001")).Variables["BLACKLISTED"]);
        Assert.Equal("0", (await Bl.CheckAsync("+14155550150")).Variables["BLACKLISTED"]);
    }

    [Fact]
    public async Task An_allow_rule_scoped_to_a_route_overrides_the_block_prefix_only_there()
    {
        var onListedRoute = await Bl.CheckAsync("+1 800 999 0001", UsBlackListDaemon.ListedDid);
        Assert.Equal("0", onListedRoute.Variables["BLACKLISTED"]);
        Assert.Equal($"allow:{UsBlackListDaemon.ScopedAllow}", onListedRoute.Variables["BLACKLIST_RULE"]);

        var elsewhere = await Bl.CheckAsync("+1 800 999 0001", "+1 (212) 555-0001");
        Assert.Equal("1", elsewhere.Variables["BLACKLISTED"]);
        Assert.Equal(UsBlackListDaemon.Prefix1800.ToString(), elsewhere.Variables["BLACKLIST_RULE"]);
    }

    [Fact]
    public async Task An_expired_rule_no_longer_blocks_while_one_expiring_later_still_does()
    {
        Assert.Equal("0", (await Bl.CheckAsync("+14155550160")).Variables["BLACKLISTED"]);

        var call = await Bl.CheckAsync("+14155550170");
        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal(UsBlackListDaemon.ExpiresTomorrow.ToString(), call.Variables["BLACKLIST_RULE"]);
    }

    [Fact]
    public async Task A_disabled_rule_does_not_block()
    {
        var call = await Bl.CheckAsync("+14155550180");

        Assert.Equal("0", call.Variables["BLACKLISTED"]);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
    }

    [Theory]
    [InlineData(null)] // Asterisk sends "unknown" for a withheld number
    [InlineData("")]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("restricted")]
    public async Task An_anonymous_caller_is_blocked_when_anonymous_blocking_is_on(string? callerId)
    {
        var call = await Bl.CheckAsync(callerId);

        Assert.Equal("1", call.Variables["BLACKLISTED"]);
        Assert.Equal("anonymous", call.Variables["BLACKLIST_RULE"]);
        Assert.Equal("EXEC Hangup 21", call.Commands[^1].Line);
    }

    [Fact]
    public async Task Star_30_adds_the_number_given_as_argument_and_star_31_removes_it_again()
    {
        Assert.Equal("0", (await Bl.CheckAsync("+1 646 555 0111")).Variables["BLACKLISTED"]);

        var added = await Bl.CallAsync("add", "101", "16465550111");
        Assert.Contains(added.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");
        Assert.Equal("OK", added.Variables["PBXMODULES_STATUS"]);
        var blocked = await Bl.CheckAsync("+1 646 555 0111");
        Assert.Equal("1", blocked.Variables["BLACKLISTED"]);
        Assert.Equal((await Bl.RuleIdAsync("16465550111", "feature-code")).ToString(), blocked.Variables["BLACKLIST_RULE"]);

        // Removed however it is written; the caller passes again.
        var removed = await Bl.CallAsync("remove", "101", "+1 (646) 555-0111");
        Assert.Contains(removed.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");
        Assert.Equal("0", (await Bl.CheckAsync("+1 646 555 0111")).Variables["BLACKLISTED"]);
        Assert.Equal(0L, await Bl.ScalarAsync<long>("SELECT COUNT(*) FROM m_BlackListNumbers WHERE Normalized = '16465550111'"));

        // Removing what is not listed says so.
        var again = await Bl.CallAsync("remove", "101", "16465550111");
        Assert.Contains(again.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "an-error-has-occurred");
    }

    [Fact]
    public async Task Star_30_refuses_what_is_not_a_number_and_lists_nothing()
    {
        var before = await Bl.ScalarAsync<long>("SELECT COUNT(*) FROM m_BlackListNumbers");

        var call = await Bl.CallAsync("add", "101", "abc");

        Assert.Contains(call.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "an-error-has-occurred");
        Assert.Equal(before, await Bl.ScalarAsync<long>("SELECT COUNT(*) FROM m_BlackListNumbers"));
    }

    [Fact]
    public async Task A_blocked_call_is_written_to_the_call_log_with_its_rule()
    {
        var call = await Bl.CallAsync("check", "+1 415 555 0190", "+1 (212) 555-0000");
        Assert.Equal("1", call.Variables["BLACKLISTED"]);

        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        var uniqueId = call.Environment.Single(e => e.Key == "agi_uniqueid").Value;
        while (await Bl.ScalarAsync<long>($"SELECT COUNT(*) FROM m_BlackListCalls WHERE UniqueId = '{uniqueId}'") == 0)
            await Task.Delay(200, timeout.Token);
        Assert.Equal((long)UsBlackListDaemon.Listed, await Bl.ScalarAsync<long>($"SELECT RuleId FROM m_BlackListCalls WHERE UniqueId = '{uniqueId}'"));
        Assert.Equal("14155550190", await Bl.ScalarAsync<string>($"SELECT Normalized FROM m_BlackListCalls WHERE UniqueId = '{uniqueId}'"));
        Assert.Equal("Hangup", await Bl.ScalarAsync<string>($"SELECT Action FROM m_BlackListCalls WHERE UniqueId = '{uniqueId}'"));
        // The rule's hit count is written in the same batch.
        Assert.True(await Bl.ScalarAsync<long>($"SELECT HitCount FROM m_BlackListNumbers WHERE Id = {UsBlackListDaemon.Listed}") >= 1);
        Assert.NotNull(await Bl.ScalarAsync<string>($"SELECT LastHitAt FROM m_BlackListNumbers WHERE Id = {UsBlackListDaemon.Listed}"));
    }

    [Fact]
    public async Task Star_30_without_a_number_asks_for_it_after_a_beep_and_lists_what_was_dialled()
    {
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        await using (var call = await SimulatedAgiCall.ConnectAsync(Bl.Daemon.AgiPort, new SimulatedAgiCallOptions
        {
            Script = "module-black-list/add",
            CallerId = "101",
            Dtmf = "16465550122#",
        }, timeout.Token))
        {
            await call.Completion.WaitAsync(timeout.Token);
            var getData = Assert.Single(call.Commands, c => c.Name == "GET DATA");
            Assert.Equal("beep", getData.Argument(0));
            Assert.Contains(call.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");
        }

        var blocked = await Bl.CheckAsync("+1 (646) 555-0122");
        Assert.Equal("1", blocked.Variables["BLACKLISTED"]);
        Assert.Equal((await Bl.RuleIdAsync("16465550122", "feature-code")).ToString(), blocked.Variables["BLACKLIST_RULE"]);
    }

    [Fact]
    public async Task The_rendered_dialplan_checks_every_incoming_route_and_fails_open()
    {
        var conf = await File.ReadAllTextAsync(Bl.DialplanFile);

        Assert.Contains($"AGI(agi://127.0.0.1:{Bl.Daemon.AgiPort}/module-black-list/check,${{ARG1}},${{CHANNEL(linkedid)}})", conf, StringComparison.Ordinal);
        Assert.Contains("\"${AGISTATUS}\" = \"FAILURE\" | \"${PBXMODULES_STATUS}\" != \"OK\"]?bl-failed", conf, StringComparison.Ordinal);
        Assert.Contains("fail-open", conf, StringComparison.Ordinal);
        Assert.DoesNotContain("fail-closed", conf, StringComparison.Ordinal);
        foreach (var code in new[] { "_*30.", "*30", "_*31.", "*31", "*32" })
            Assert.Contains($"exten => {code},1,AGI(", conf, StringComparison.Ordinal);
    }
}
