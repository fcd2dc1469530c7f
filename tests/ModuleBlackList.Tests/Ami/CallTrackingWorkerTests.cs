using Microsoft.Extensions.DependencyInjection;
using ModuleBlackList.Ami;
using ModuleBlackList.Flood;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Tests.Ami;

public sealed class CallTrackingWorkerTests
{
    private static BlackListSettings Flood(int maxCalls = 3, int windowSeconds = 60, int blockMinutes = 5) => new()
    {
        FloodProtection = true,
        FloodMaxCalls = maxCalls,
        FloodWindowSeconds = windowSeconds,
        FloodBlockMinutes = blockMinutes,
    };

    [Fact]
    public async Task More_calls_than_allowed_within_the_window_add_a_temporary_block_rule()
    {
        await using var m = await BlackListHost.StartAsync(Flood());

        for (var i = 0; i < 3; i++)
        {
            await m.NewCallAsync("+1 (702) 555-0101");
            m.Time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.False(m.BlackList.Check("+17025550101", null).Blocked);
        Assert.Empty(await m.StoredRulesAsync());

        await m.NewCallAsync("17025550101");

        var result = m.BlackList.Check("+17025550101", null);
        Assert.True(result.Blocked);
        var rule = Assert.Single(await m.StoredRulesAsync());
        Assert.Equal("17025550101", rule.Normalized);
        Assert.Equal(RuleKind.Block, rule.Kind);
        Assert.Equal("flood", rule.Source);
        Assert.Equal(m.Time.GetUtcNow().UtcDateTime.AddMinutes(5), rule.ExpiresAt);
        Assert.Equal("Flood: 4 calls within 60 s", rule.Description);
        Assert.Equal(rule.Id, result.Rule!.Value.Id);
    }

    [Fact]
    public async Task The_flood_block_expires_on_its_own()
    {
        await using var m = await BlackListHost.StartAsync(Flood(blockMinutes: 1));
        for (var i = 0; i < 4; i++) await m.NewCallAsync("17025550101");
        Assert.True(m.BlackList.Check("17025550101", null).Blocked);

        m.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(m.BlackList.Check("17025550101", null).Blocked);
        m.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(m.BlackList.Check("17025550101", null).Blocked);

        // The purge job's work: the expired rule leaves the database too.
        Assert.Equal(1, await m.BlackList.PurgeExpiredAsync(CancellationToken.None));
        Assert.Empty(await m.StoredRulesAsync());
    }

    [Fact]
    public async Task Calls_spread_wider_than_the_window_are_not_a_flood()
    {
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 3, windowSeconds: 60));

        for (var i = 0; i < 20; i++)
        {
            await m.NewCallAsync("17025550101");
            m.Time.Advance(TimeSpan.FromSeconds(21)); // at most 3 calls in any 60 s
        }

        Assert.Empty(await m.StoredRulesAsync());
        Assert.False(m.BlackList.Check("17025550101", null).Blocked);
    }

    [Fact]
    public async Task A_call_exactly_one_window_after_the_first_still_counts_with_it()
    {
        // The window is inclusive: calls at 0, 20, 40 and 60 s are four within 60 s.
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 3, windowSeconds: 60));
        for (var i = 0; i < 4; i++)
        {
            if (i > 0) m.Time.Advance(TimeSpan.FromSeconds(20));
            await m.NewCallAsync("17025550101");
        }

        Assert.True(m.BlackList.Check("17025550101", null).Blocked);
    }

    [Fact]
    public async Task Only_the_first_channel_of_a_call_from_an_outside_number_counts()
    {
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 2));

        for (var i = 0; i < 10; i++)
        {
            await m.NewCallAsync("17025550101", uniqueId: $"1.{i}", linkedId: "1.0-other"); // the other legs of a call
            await m.NewCallAsync("2001");                                                    // an internal extension
            await m.NewCallAsync("<unknown>");
            await m.NewCallAsync("");
            await m.Host.RaiseAmiEventAsync("Newchannel", ("CallerIDNum", "17025550102")); // no Uniqueid
        }

        Assert.Empty(await m.StoredRulesAsync());
    }

    [Fact]
    public async Task Differently_written_numbers_of_one_caller_count_together()
    {
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 2));

        await m.NewCallAsync("+1 (702) 555-0101");
        await m.NewCallAsync("17025550101");
        await m.NewCallAsync("0017025550101");

        Assert.Equal("17025550101", Assert.Single(await m.StoredRulesAsync()).Normalized);
    }

    [Fact]
    public async Task With_flood_protection_off_nothing_is_counted()
    {
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { FloodProtection = false, FloodMaxCalls = 2 });

        for (var i = 0; i < 10; i++) await m.NewCallAsync("17025550101");

        Assert.Empty(await m.StoredRulesAsync());
    }

    [Fact]
    public async Task A_caller_already_blocked_gets_no_second_rule()
    {
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 2));
        var (listed, _) = await m.BlackList.AddAsync(new RuleInput { Number = "+1 702 555 0101" }, "rest", CancellationToken.None);
        Assert.NotNull(listed);

        for (var i = 0; i < 10; i++) await m.NewCallAsync("17025550101");

        Assert.Equal(listed.Id, Assert.Single(await m.StoredRulesAsync()).Id);
    }

    [Fact]
    public async Task After_a_flood_rule_the_count_starts_afresh()
    {
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 2, blockMinutes: 1));
        for (var i = 0; i < 3; i++) await m.NewCallAsync("17025550101");
        Assert.Single(await m.StoredRulesAsync());

        // Expired, then two calls: within the limit again.
        m.Time.Advance(TimeSpan.FromMinutes(2));
        await m.NewCallAsync("17025550101");
        await m.NewCallAsync("17025550101");
        Assert.Single(await m.StoredRulesAsync());

        // A third within the window is a new flood.
        await m.NewCallAsync("17025550101");
        Assert.Equal(2, (await m.StoredRulesAsync()).Count);
        Assert.True(m.BlackList.Check("17025550101", null).Blocked);
    }

    [Fact]
    public async Task A_reconnect_keeps_the_count_so_a_flood_that_drops_the_AMI_connection_gets_no_fresh_window()
    {
        // The count is shared with the in-call check, which goes on counting while AMI is away; wiping it
        // on every reconnect handed a flooder a new allowance each time the connection dropped.
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 3));
        for (var i = 0; i < 3; i++) await m.NewCallAsync("17025550101");

        // A reconnect as the host's worker loop makes it (the host's own reconnect waits on its clock, the fake one here).
        await m.Worker.OnConnectedAsync(isReconnect: true, CancellationToken.None);
        await m.NewCallAsync("17025550101");

        Assert.Equal("Flood: 4 calls within 60 s", Assert.Single(await m.StoredRulesAsync()).Description);
    }

    [Fact]
    public async Task DialBegin_records_the_outside_caller_as_the_last_caller_of_the_dialled_extension()
    {
        await using var m = await BlackListHost.StartAsync();

        await m.Host.RaiseAmiEventAsync("DialBegin", ("CallerIDNum", "+17025550199"), ("DestCallerIDNum", "101"), ("DestConnectedLineNum", "+17025550199"), ("DialString", "PJSIP/101"));
        m.Time.Advance(TimeSpan.FromSeconds(5));
        await m.Host.RaiseAmiEventAsync("DialBegin", ("CallerIDNum", "+17025550200"), ("DestConnectedLineNum", "+17025550200"), ("DialString", "PJSIP/102@pbx"));

        var last = m.LastCallers.Get("101");
        Assert.NotNull(last);
        Assert.Equal("+17025550199", last.Value.Caller);
        Assert.Equal(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), last.Value.At);
        Assert.Equal("+17025550200", m.LastCallers.Get("102")!.Value.Caller);

        // A later call replaces it.
        await m.Host.RaiseAmiEventAsync("DialBegin", ("DestConnectedLineNum", "+17025550201"), ("DialString", "PJSIP/101"));
        Assert.Equal("+17025550201", m.LastCallers.Get("101")!.Value.Caller);
    }

    [Fact]
    public async Task DialBegin_without_a_dial_string_extension_uses_the_callee_number()
    {
        await using var m = await BlackListHost.StartAsync();

        await m.Host.RaiseAmiEventAsync("DialBegin", ("DestConnectedLineNum", "+17025550199"), ("DestCallerIDNum", "103"), ("DialString", "Local/queue-1@from-queue/n"));

        Assert.Equal("+17025550199", m.LastCallers.Get("103")!.Value.Caller);
    }

    [Fact]
    public async Task An_internal_call_is_not_recorded_as_a_last_caller()
    {
        await using var m = await BlackListHost.StartAsync();

        await m.Host.RaiseAmiEventAsync("DialBegin", ("DestConnectedLineNum", "102"), ("DialString", "PJSIP/101"));
        await m.Host.RaiseAmiEventAsync("DialBegin", ("DestConnectedLineNum", "<unknown>"), ("DialString", "PJSIP/101"));
        await m.Host.RaiseAmiEventAsync("DialBegin", ("DestConnectedLineNum", "+17025550199"));

        Assert.Null(m.LastCallers.Get("101"));
        Assert.Equal(0, m.LastCallers.Count);
    }

    [Fact]
    public async Task After_a_reconnect_the_last_callers_are_refreshed_from_the_calls_in_progress()
    {
        await using var m = await BlackListHost.StartAsync();
        // The calls in progress are the simulated Asterisk's channels, which it lists for CoreShowChannels.
        m.Host.Asterisk.AddChannel("PJSIP/104-00000001", ("CallerIDNum", "104"), ("ConnectedLineNum", "+17025550199"));
        m.Host.Asterisk.AddChannel("PJSIP/trunk-00000002", ("CallerIDNum", "+17025550199"), ("ConnectedLineNum", "104"));
        m.Host.Asterisk.AddChannel("PJSIP/105-00000003", ("CallerIDNum", "105"), ("ConnectedLineNum", "106"));

        // The first connection (the host's, at the start) asked Asterisk nothing.
        Assert.DoesNotContain(m.Host.Asterisk.ReceivedActions, a => a.Name == "CoreShowChannels");
        Assert.Equal(0, m.LastCallers.Count);

        // A reconnect as the host's worker loop makes it (the host's own reconnect waits on its clock, the fake one here).

        await m.Worker.OnConnectedAsync(isReconnect: true, CancellationToken.None);
        Assert.Equal("+17025550199", m.LastCallers.Get("104")!.Value.Caller);
        Assert.Equal(1, m.LastCallers.Count);
    }

    /// <summary>The events of fixture ami_dial_events (a real Asterisk 20), as the host hands them to the worker.</summary>
    private static List<List<KeyValuePair<string, string>>> DialEventsFixture()
    {
        var raw = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "asterisk-20", "ami_dial_events.recv.raw"));
        return [.. raw.Split("\r\n\r\n")
            .Select(frame => frame.Split("\r\n").Select(l => l.Split(": ", 2)).Where(p => p.Length == 2).Select(p => new KeyValuePair<string, string>(p[0], p[1])).ToList())
            .Where(h => h.Count > 0 && h[0].Key == "Event")];
    }

    /// <summary>Replays the fixture's call as a new call: its ids made unique, so each replay is another call of the same caller.</summary>
    private static async Task ReplayDialEventsAsync(BlackListHost m, string suffix, params string[] names)
    {
        foreach (var headers in DialEventsFixture())
        {
            var renamed = new PbxModules.Sdk.Ami.AmiEvent([.. headers.Select(h => h.Key.EndsWith("Uniqueid", StringComparison.Ordinal) || h.Key.EndsWith("Linkedid", StringComparison.Ordinal)
                ? new KeyValuePair<string, string>(h.Key, h.Value + suffix) : h)]);
            if (names.Length > 0 && !names.Contains(renamed.Name)) continue;
            // Through the host: only what the worker subscribed to reaches it.
            await m.Host.RaiseAmiEventAsync(renamed.Name, [.. renamed.Headers.Where(h => h.Key != "Event").Select(h => (h.Key, h.Value))]);
        }
    }

    [Fact]
    public async Task A_call_whose_number_arrives_after_its_channel_exists_is_counted_once_from_the_first_event_that_carries_it()
    {
        // The fixture's originated Local call: every Newchannel says <unknown>; the caller's number
        // (0912345678) first appears in NewCallerid. Before, such calls were never counted.
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 3));
        Assert.All(DialEventsFixture().Where(h => h[0].Value == "Newchannel"), h => Assert.Contains(new("CallerIDNum", "<unknown>"), h));

        for (var i = 0; i < 3; i++) await ReplayDialEventsAsync(m, $"-{i}");
        Assert.Empty(await m.StoredRulesAsync());

        await ReplayDialEventsAsync(m, "-3");

        var rule = Assert.Single(await m.StoredRulesAsync());
        Assert.Equal(m.BlackList.Normalizer.Normalize("0912345678"), rule.Normalized);
        // Four calls, each counted once although each sent NewCallerid, NewConnectedLine and DialBegin with the number.
        Assert.Equal("Flood: 4 calls within 60 s", rule.Description);
    }

    [Fact]
    public async Task The_call_that_crosses_the_limit_is_itself_flooding_and_the_stored_rule_blocks_the_next_ones()
    {
        await using var m = await BlackListHost.StartAsync(Flood(maxCalls: 3));
        var guard = m.Services.GetRequiredService<FloodGuard>();

        var outcomes = new List<FloodOutcome>();
        for (var i = 0; i < 5; i++) outcomes.Add(await guard.CountAsync($"call-{i}", "+17025550101", CancellationToken.None));

        Assert.Equal([false, false, false, true, false], outcomes.Select(o => o.Flooding));
        var rule = Assert.Single(await m.StoredRulesAsync());
        // The crossing call stored the rule, which blocks the fifth.
        Assert.Equal(rule.Id, outcomes[3].RuleId);
        Assert.Equal(rule.Id, m.BlackList.Check("+17025550101", null).Rule!.Value.Id);
    }
}
