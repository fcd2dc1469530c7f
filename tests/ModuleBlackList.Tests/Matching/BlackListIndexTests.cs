using ModuleBlackList.Matching;
using ModuleBlackList.Models;

namespace ModuleBlackList.Tests.Matching;

public sealed class BlackListIndexTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    private static BlackListNumbers Rule(int id, string normalized, bool prefix = false, RuleKind kind = RuleKind.Block, string scope = "", DateTime? expires = null, bool enabled = true)
        => new()
        {
            Id = id,
            Number = prefix ? normalized + "*" : normalized,
            Normalized = normalized,
            IsPrefix = prefix,
            Kind = kind,
            Scope = scope,
            ExpiresAt = expires,
            Enabled = enabled,
        };

    private static BlackListIndex IndexOf(params BlackListNumbers[] rules)
    {
        var index = new BlackListIndex();
        index.Load(rules);
        return index;
    }

    private static MatchResult Match(BlackListIndex index, string caller, string did = "") => index.Match(caller, did, Now);

    [Fact]
    public void An_unlisted_caller_matches_nothing()
    {
        var index = IndexOf(Rule(1, "18005550100"), Rule(2, "1800", prefix: true));

        Assert.Equal(default, Match(index, "12125550199"));
        Assert.Equal(default, Match(index, ""));
        Assert.Equal(MatchOutcome.None, Match(new BlackListIndex(), "18005550100").Outcome);
    }

    [Fact]
    public void An_exact_rule_beats_a_prefix_rule()
    {
        var index = IndexOf(Rule(1, "1800", prefix: true), Rule(2, "18005550100"));

        var match = Match(index, "18005550100");

        Assert.Equal(MatchOutcome.Blocked, match.Outcome);
        Assert.Equal(2, match.Rule!.Value.Id);
        Assert.Equal(1, Match(index, "18005550101").Rule!.Value.Id);
    }

    [Fact]
    public void The_longest_matching_prefix_wins()
    {
        var index = IndexOf(Rule(1, "7", prefix: true), Rule(2, "7495", prefix: true), Rule(3, "74951", prefix: true), Rule(4, "749512345678", prefix: true));

        Assert.Equal(3, Match(index, "74951234567").Rule!.Value.Id);
        Assert.Equal(2, Match(index, "74957654321").Rule!.Value.Id);
        Assert.Equal(1, Match(index, "78121234567").Rule!.Value.Id);
        // A prefix longer than the caller never matches it.
        Assert.Equal(3, Match(index, "7495123456").Rule!.Value.Id);
    }

    [Fact]
    public void A_prefix_as_long_as_the_number_matches_it()
        => Assert.Equal(1, Match(IndexOf(Rule(1, "18005550100", prefix: true)), "18005550100").Rule!.Value.Id);

    [Fact]
    public void An_allow_rule_wins_over_any_block_rule_exact_or_prefix()
    {
        var index = IndexOf(
            Rule(1, "1800", prefix: true),
            Rule(2, "18009990000"),
            Rule(3, "18009990000", kind: RuleKind.Allow),
            Rule(4, "1800999", prefix: true, kind: RuleKind.Allow));

        var exact = Match(index, "18009990000");
        Assert.Equal(MatchOutcome.Allowed, exact.Outcome);
        Assert.Equal(3, exact.Rule!.Value.Id);

        // An allow prefix beats a longer, exact block rule too.
        var index2 = IndexOf(Rule(1, "18009990001"), Rule(2, "1800", prefix: true, kind: RuleKind.Allow));
        Assert.Equal(MatchOutcome.Allowed, Match(index2, "18009990001").Outcome);

        Assert.Equal(MatchOutcome.Allowed, Match(index, "18009991234").Outcome);
        Assert.Equal(4, Match(index, "18009991234").Rule!.Value.Id);
        Assert.Equal(MatchOutcome.Blocked, Match(index, "18001234567").Outcome);
    }

    [Fact]
    public void A_scoped_rule_applies_only_on_its_routes_and_never_when_the_route_is_unknown()
    {
        var index = IndexOf(Rule(1, "14155550150", scope: "12125550000,12125550001"), Rule(2, "1415", prefix: true, scope: "12125550002"));

        Assert.Equal(1, Match(index, "14155550150", "12125550000").Rule!.Value.Id);
        Assert.Equal(1, Match(index, "14155550150", "12125550001").Rule!.Value.Id);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150", "12125550003").Outcome);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150").Outcome);
        // On the prefix's route the exact rule does not apply, the prefix does.
        Assert.Equal(2, Match(index, "14155550150", "12125550002").Rule!.Value.Id);
    }

    [Fact]
    public void Scope_entries_are_trimmed_and_empty_ones_ignored()
    {
        var index = IndexOf(Rule(1, "14155550150", scope: " 12125550000 , ,12125550001 "));

        Assert.Equal(1, Match(index, "14155550150", "12125550000").Rule!.Value.Id);
        Assert.Equal(1, Match(index, "14155550150", "12125550001").Rule!.Value.Id);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150", "").Outcome);
    }

    [Fact]
    public void Several_rules_on_one_number_with_different_scopes_each_apply_on_their_route()
    {
        var index = IndexOf(Rule(1, "14155550150", scope: "12125550000"), Rule(2, "14155550150", scope: "12125550001"), Rule(3, "14155550150"));

        Assert.Equal(1, Match(index, "14155550150", "12125550000").Rule!.Value.Id);
        Assert.Equal(2, Match(index, "14155550150", "12125550001").Rule!.Value.Id);
        Assert.Equal(3, Match(index, "14155550150", "12125550009").Rule!.Value.Id);

        // A scoped rule that does not apply falls through to a shorter prefix.
        var fallThrough = IndexOf(Rule(1, "14155", prefix: true, scope: "12125550000"), Rule(2, "1415", prefix: true));
        Assert.Equal(2, Match(fallThrough, "14155550150", "12125550009").Rule!.Value.Id);
    }

    [Fact]
    public void An_expired_rule_stops_matching_at_its_expiry_and_a_shorter_rule_takes_over()
    {
        var index = IndexOf(Rule(1, "14155550160", expires: Now.AddMinutes(1)), Rule(2, "1415", prefix: true));

        Assert.Equal(1, index.Match("14155550160", "", Now).Rule!.Value.Id);
        Assert.Equal(1, index.Match("14155550160", "", Now.AddSeconds(59)).Rule!.Value.Id);
        Assert.Equal(2, index.Match("14155550160", "", Now.AddMinutes(1)).Rule!.Value.Id);
        Assert.Equal(2, index.Match("14155550160", "", Now.AddDays(1)).Rule!.Value.Id);

        // An expired allow rule no longer lets anyone through either.
        var allow = IndexOf(Rule(1, "1415", prefix: true), Rule(2, "14155550160", kind: RuleKind.Allow, expires: Now));
        Assert.Equal(MatchOutcome.Blocked, Match(allow, "14155550160").Outcome);
    }

    [Fact]
    public void A_disabled_rule_never_matches_and_enabling_it_again_does()
    {
        var rule = Rule(1, "14155550180", enabled: false);
        var index = IndexOf(rule);
        Assert.Equal(0, index.Count);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550180").Outcome);

        rule.Enabled = true;
        index.Upsert(rule);
        Assert.Equal(1, Match(index, "14155550180").Rule!.Value.Id);

        rule.Enabled = false;
        index.Upsert(rule);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550180").Outcome);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void A_rule_without_a_canonical_form_is_not_indexed()
    {
        var index = IndexOf(Rule(1, ""));

        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Removing_a_rule_leaves_the_others_on_the_same_number_in_place()
    {
        var index = IndexOf(Rule(1, "14155550150", scope: "12125550000"), Rule(2, "14155550150"), Rule(3, "1415", prefix: true));

        Assert.True(index.Remove(2));
        Assert.False(index.Remove(2));
        Assert.False(index.Remove(99));

        Assert.Equal(2, index.Count);
        Assert.Equal(1, Match(index, "14155550150", "12125550000").Rule!.Value.Id);
        Assert.Equal(3, Match(index, "14155550150", "12125550009").Rule!.Value.Id);
        Assert.True(index.Remove(3));
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150", "12125550009").Outcome);
    }

    [Fact]
    public void Upserting_a_changed_rule_moves_it_to_its_new_number_kind_and_shape()
    {
        var rule = Rule(1, "14155550150");
        var index = IndexOf(rule);

        // New number: the old one no longer matches.
        rule.Normalized = "14155550151";
        index.Upsert(rule);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150").Outcome);
        Assert.Equal(1, Match(index, "14155550151").Rule!.Value.Id);

        // Now a prefix.
        rule.Normalized = "1415";
        rule.IsPrefix = true;
        rule.Number = "1415*";
        index.Upsert(rule);
        Assert.Equal(1, index.Count);
        Assert.Equal("1415*", Match(index, "14159999999").Rule!.Value.Pattern);
        Assert.Equal(MatchOutcome.None, Match(index, "14169999999").Outcome);

        // Now an allow rule: it lets through what a block rule stops.
        index.Upsert(Rule(2, "14155550152"));
        rule.Kind = RuleKind.Allow;
        index.Upsert(rule);
        Assert.Equal(MatchOutcome.Allowed, Match(index, "14155550152").Outcome);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void A_prefix_shortened_by_an_upsert_still_matches_and_the_removed_longer_one_does_not()
    {
        var rule = Rule(1, "749512", prefix: true);
        var index = IndexOf(rule);
        rule.Normalized = "7495";
        index.Upsert(rule);

        Assert.Equal(1, Match(index, "74957654321").Rule!.Value.Id);
        Assert.Equal(1, Match(index, "74951234567").Rule!.Value.Id);
    }

    [Fact]
    public void Loading_replaces_everything_indexed_before()
    {
        var index = IndexOf(Rule(1, "14155550150"), Rule(2, "1800", prefix: true, kind: RuleKind.Allow));

        index.Load([Rule(3, "14155550151")]);

        Assert.Equal(1, index.Count);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150").Outcome);
        Assert.Equal(MatchOutcome.None, Match(index, "18005550100").Outcome);
        Assert.Equal(3, Match(index, "14155550151").Rule!.Value.Id);
    }

    [Fact]
    public void The_pattern_is_reported_as_written()
    {
        var index = new BlackListIndex();
        index.Upsert(new BlackListNumbers { Id = 5, Number = " +1 (800) 555-0100 ", Normalized = "18005550100" });

        Assert.Equal("+1 (800) 555-0100", Match(index, "18005550100").Rule!.Value.Pattern);
    }

    [Fact]
    public async Task Matching_while_rules_are_upserted_and_removed_concurrently_always_sees_the_stable_rules()
    {
        // Stable rules that must match throughout, and churn on other numbers (and on the same
        // numbers with other ids and scopes) from several writers at once.
        var index = IndexOf(Rule(1, "14155550150"), Rule(2, "1800", prefix: true), Rule(3, "18009990000", kind: RuleKind.Allow));
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var id = 1000 + w * 100_000 + n % 500;
                index.Upsert(Rule(id, "14155550150", scope: "12125559999"));
                index.Upsert(Rule(id + 50_000, $"1800{n % 1000:0000000}", prefix: n % 2 == 0));
                index.Upsert(Rule(id + 60_000, "18009990000", kind: RuleKind.Allow, scope: "12125559999"));
                if (n % 3 == 0) index.Remove(id);
                if (n % 5 == 0) index.Remove(id + 50_000);
                index.Remove(id + 60_000);
                n++;
            }
        })).ToArray();

        var checks = 0;
        try
        {
            while (checks < 100_000)
            {
                Assert.Equal(1, Match(index, "14155550150").Rule!.Value.Id);
                Assert.Equal(MatchOutcome.Blocked, Match(index, "18005550100").Outcome);
                var allow = Match(index, "18009990000");
                Assert.Equal(MatchOutcome.Allowed, allow.Outcome);
                Assert.Equal(3, allow.Rule!.Value.Id);
                checks++;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        // Once the writers stopped, every id they left indexed is matchable and the count adds up.
        Assert.Equal(1, Match(index, "14155550150", "").Rule!.Value.Id);
        Assert.True(index.Count >= 3);
    }

    [Fact]
    public async Task Concurrent_upserts_of_rules_sharing_a_number_lose_none_of_them()
    {
        var index = new BlackListIndex();
        const int Writers = 8;
        const int PerWriter = 250;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var id = w * PerWriter + i;
                index.Upsert(Rule(id, "14155550150", scope: $"1212555{id:0000}"));
            }
        })));

        Assert.Equal(Writers * PerWriter, index.Count);
        for (var id = 0; id < Writers * PerWriter; id++)
            Assert.Equal(id, Match(index, "14155550150", $"1212555{id:0000}").Rule!.Value.Id);

        // And removing them concurrently leaves nothing behind.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++) Assert.True(index.Remove(w * PerWriter + i));
        })));
        Assert.Equal(0, index.Count);
        Assert.Equal(MatchOutcome.None, Match(index, "14155550150", "12125550001").Outcome);
    }

    [Fact]
    public async Task A_rule_upserted_unchanged_never_stops_matching_meanwhile()
    {
        // REST patches a rule's description, re-enables it, renormalises it: the caller must stay
        // blocked throughout, not slip through between taking the old entry out and putting the new in.
        var rule = Rule(1, "14155550150");
        var index = IndexOf(rule, Rule(2, "1800", prefix: true));
        var missed = await MissesWhileAsync(index, "14155550150", () => index.Upsert(rule));
        Assert.Equal(0, missed);
    }

    [Fact]
    public async Task Reloading_the_whole_list_never_drops_a_rule_that_is_in_both_lists()
    {
        // A new region renormalises every rule and reloads the index while calls are checked.
        var rules = Enumerable.Range(1, 200).Select(i => Rule(i, $"1415555{i:0000}")).ToArray();
        var index = IndexOf(rules);
        var missed = await MissesWhileAsync(index, "14155550100", () => index.Load(rules));
        Assert.Equal(0, missed);
    }

    /// <summary>How many lookups of <paramref name="caller"/> found nothing while <paramref name="write"/> ran over and over.</summary>
    private static async Task<int> MissesWhileAsync(BlackListIndex index, string caller, Action write)
    {
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) write();
        });
        var missed = 0;
        try
        {
            for (var i = 0; i < 300_000; i++)
                if (Match(index, caller).Outcome != MatchOutcome.Blocked) missed++;
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
        return missed;
    }
}
