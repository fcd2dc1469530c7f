using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>One daemon for <see cref="BlackListCallFloodAndLastCallerTests"/>: flood protection on, more than 3 calls within 60 s → blocked for 1 minute.</summary>
public sealed class FloodBlackListDaemon : IAsyncLifetime
{
    private BlackListDaemon? _daemon;

    internal BlackListDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _daemon = await BlackListDaemon.StartAsync(new Dictionary<string, object>
    {
        ["floodProtection"] = true,
        ["floodMaxCalls"] = 3,
        ["floodWindowSeconds"] = 60,
        ["floodBlockMinutes"] = 1,
    });

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}

/// <summary>
/// The module's AMI worker, fed events by the simulated Asterisk: flood protection adds a
/// temporary rule that blocks the next call and stops blocking once expired; <c>*32</c> blocks the
/// last outside caller who rang the extension.
/// </summary>
public sealed class BlackListCallFloodAndLastCallerTests(FloodBlackListDaemon fixture) : IClassFixture<FloodBlackListDaemon>
{
    private static int s_channel;
    private BlackListDaemon Bl => fixture.Daemon;

    [Fact]
    public async Task A_caller_starting_more_calls_than_allowed_within_the_window_is_blocked_until_the_rule_expires()
    {
        const string flooder = "+1 (702) 555-0101";
        Assert.Equal("0", (await Bl.CheckAsync(flooder)).Variables["BLACKLISTED"]);

        // What does not count: the other channels of a call (Uniqueid ≠ Linkedid) and internal extensions.
        for (var i = 0; i < 10; i++)
        {
            await NewChannelAsync("+1 (702) 555-0102", firstOfCall: false);
            await NewChannelAsync("2001", firstOfCall: true);
        }
        var before = DateTime.UtcNow;
        // Three calls are allowed…
        for (var i = 0; i < 3; i++) await NewChannelAsync(flooder, firstOfCall: true);
        // …the fourth within the window is a flood.
        await NewChannelAsync(flooder, firstOfCall: true);

        var id = await Bl.RuleIdAsync("17025550101", "flood");
        var after = DateTime.UtcNow;
        // A temporary rule: it ends FloodBlockMinutes after the flood was seen.
        var expires = DateTime.Parse((await Bl.ScalarAsync<string>($"SELECT ExpiresAt FROM m_BlackListNumbers WHERE Id = {id}"))!, CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddMinutes(1), after.AddMinutes(1));
        Assert.Contains("Flood: 4 calls within 60 s", await Bl.ScalarAsync<string>($"SELECT Description FROM m_BlackListNumbers WHERE Id = {id}"), StringComparison.Ordinal);
        // The events before the flood were handled first (in order): none of them made a rule.
        Assert.Equal(1L, await Bl.ScalarAsync<long>("SELECT COUNT(*) FROM m_BlackListNumbers WHERE Source = 'flood'"));

        // The row is committed just before the index takes it: a check in between is
        // still blocked, by the flood itself ("flood"), and the next ones by the stored rule.
        using (var indexed = new CancellationTokenSource(BlackListDaemon.Patience))
        {
            var blocked = await Bl.CheckAsync(flooder);
            while (blocked.Variables["BLACKLIST_RULE"] == "flood")
            {
                Assert.Equal("1", blocked.Variables["BLACKLISTED"]);
                await Task.Delay(50, indexed.Token);
                blocked = await Bl.CheckAsync(flooder);
            }
            Assert.Equal("1", blocked.Variables["BLACKLISTED"]);
            Assert.Equal(id.ToString(CultureInfo.InvariantCulture), blocked.Variables["BLACKLIST_RULE"]);
        }

        // Expiry, without waiting the minute: the rule's end is brought forward over REST (the index
        // follows at once, no reload); once that moment has passed the caller gets through again.
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, $"/pbxcore/api/v3/module-black-list/numbers/{id}")
        {
            Content = JsonContent.Create(new { expiresAt = DateTime.UtcNow.AddSeconds(3) }),
        })
        using (var patched = await Bl.Daemon.Http.SendAsync(patch, timeout.Token))
            Assert.True(patched.StatusCode == HttpStatusCode.OK, await patched.Content.ReadAsStringAsync(timeout.Token));
        var call = await Bl.CheckAsync(flooder);
        while (call.Variables["BLACKLISTED"] == "1")
        {
            await Task.Delay(250, timeout.Token);
            call = await Bl.CheckAsync(flooder);
        }
        Assert.Equal("0", call.Variables["BLACKLISTED"]);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
        Assert.False(call.IsHungUp);
    }

    [Fact]
    public async Task Star_32_blocks_the_last_outside_caller_who_rang_the_extension()
    {
        const string caller = "+1 702 555 0199";
        Assert.Equal("0", (await Bl.CheckAsync(caller)).Variables["BLACKLISTED"]);

        // Asterisk dials 101 for the outside caller: DialBegin on the callee's channel.
        await Bl.Asterisk.SendEventAsync("DialBegin",
            ("Channel", "PJSIP/trunk-00000001"), ("CallerIDNum", caller), ("Uniqueid", "1700000000.1"), ("Linkedid", "1700000000.1"),
            ("DestChannel", "PJSIP/101-00000002"), ("DestCallerIDNum", "101"), ("DestConnectedLineNum", caller),
            ("DestUniqueid", "1700000000.2"), ("DestLinkedid", "1700000000.1"), ("DialString", "PJSIP/101"));

        // The event reaches the worker asynchronously: *32 is retried until it knows the caller (a safety net).
        using var timeout = new CancellationTokenSource(BlackListDaemon.Patience);
        var star32 = await Bl.CallAsync("block-last", "101");
        while (star32.Variables.GetValueOrDefault("BLACKLIST_LAST_CALLER", "") == "")
        {
            await Task.Delay(100, timeout.Token);
            star32 = await Bl.CallAsync("block-last", "101");
        }
        Assert.Equal(caller, star32.Variables["BLACKLIST_LAST_CALLER"]);
        Assert.Contains(star32.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "auth-thankyou");

        var blocked = await Bl.CheckAsync("17025550199");
        Assert.Equal("1", blocked.Variables["BLACKLISTED"]);
        Assert.Equal((await Bl.RuleIdAsync(caller, "feature-code")).ToString(CultureInfo.InvariantCulture), blocked.Variables["BLACKLIST_RULE"]);

        // Another extension was rung by nobody: *32 there blocks nothing and says so.
        var nobody = await Bl.CallAsync("block-last", "102");
        Assert.Equal("", nobody.Variables["BLACKLIST_LAST_CALLER"]);
        Assert.Contains(nobody.Commands, c => c.Name == "STREAM FILE" && c.Argument(0) == "an-error-has-occurred");
    }

    [Fact]
    public async Task Originated_calls_whose_number_comes_after_the_channel_count_and_the_call_crossing_the_limit_is_itself_rejected()
    {
        // As a real Asterisk 20 sent them for an originate (fixture ami_dial_events): Newchannel with
        // <unknown>, the number first in NewCallerid; then the route runs the check with the call's linkedid.
        const string flooder = "+1 (702) 555-0177";
        var results = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var n = Interlocked.Increment(ref s_channel);
            var linkedId = $"1796155420.{n}";
            await Bl.Asterisk.SendEventAsync("Newchannel",
                ("Channel", $"Local/100@from-trunk-{n:x8};1"), ("ChannelState", "0"), ("ChannelStateDesc", "Down"),
                ("CallerIDNum", "<unknown>"), ("CallerIDName", "<unknown>"), ("Context", "from-trunk"), ("Exten", "100"),
                ("Uniqueid", linkedId), ("Linkedid", linkedId));
            await Bl.Asterisk.SendEventAsync("NewCallerid",
                ("Channel", $"Local/100@from-trunk-{n:x8};1"), ("ChannelState", "0"), ("ChannelStateDesc", "Down"),
                ("CallerIDNum", flooder), ("CallerIDName", "T"), ("Context", "from-trunk"), ("Exten", "100"),
                ("Uniqueid", linkedId), ("Linkedid", linkedId), ("CID-CallingPres", "0 (Presentation Allowed, Not Screened)"));
            // Whether the worker has handled those events yet or not, the call is counted once.
            var call = await Bl.CallAsync("check", flooder, "+12125550000", linkedId);
            results.Add(call.Variables["BLACKLISTED"]);
        }

        // Three allowed, the fourth crosses the limit and is rejected itself (it rang before), and so is the fifth.
        Assert.Equal(["0", "0", "0", "1", "1"], results);
        var id = await Bl.RuleIdAsync("17025550177", "flood");
        Assert.Contains("Flood: 4 calls within 60 s", await Bl.ScalarAsync<string>($"SELECT Description FROM m_BlackListNumbers WHERE Id = {id}"), StringComparison.Ordinal);
        Assert.Equal(1L, await Bl.ScalarAsync<long>("SELECT COUNT(*) FROM m_BlackListNumbers WHERE Normalized = '17025550177'"));
    }

    private Task NewChannelAsync(string callerId, bool firstOfCall)
    {
        var n = Interlocked.Increment(ref s_channel);
        var uniqueId = $"1710000000.{n}";
        return Bl.Asterisk.SendEventAsync("Newchannel",
            ("Channel", $"PJSIP/trunk-{n:x8}"), ("ChannelState", "0"), ("ChannelStateDesc", "Down"),
            ("CallerIDNum", callerId), ("CallerIDName", "<unknown>"), ("Context", "from-trunk"), ("Exten", "2125550000"),
            ("Uniqueid", uniqueId), ("Linkedid", firstOfCall ? uniqueId : "1710000000.0"));
    }
}
