using ModuleBlackList.Matching;
using ModuleBlackList.Models;

namespace ModuleBlackList.Tests.Matching;

/// <summary>
/// The compact index against the obvious model (a list scanned in full), over seeded random lists and
/// changes: numbers short and long (past the 17 digits a packed key holds), with letters (the string
/// fallback), prefixes sharing their leading digits, allow rules, disabled rules, and enough upserts and
/// removals to merge the overlay into the base several times.
/// </summary>
public sealed class BlackListIndexModelTests
{
    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_as_a_full_scan_of_the_rules_would_through_loads_upserts_and_removals(int seed)
    {
        var random = new Random(seed);
        var model = new Dictionary<int, BlackListNumbers>();
        var index = new BlackListIndex();
        var nextId = 1;
        var initial = Enumerable.Range(0, 2_000).Select(_ => NewRule(random, nextId++)).ToList();
        foreach (var rule in initial) model[rule.Id] = rule;
        index.Load(initial);
        AssertAgrees(random, index, model);

        for (var step = 0; step < 6_000; step++)
        {
            var choice = random.Next(10);
            if (choice < 4 || model.Count == 0)
            {
                var rule = NewRule(random, nextId++);
                model[rule.Id] = rule;
                index.Upsert(rule);
            }
            else if (choice < 7)
            {
                // A change of an existing rule: its pattern, kind or state moves it within the index.
                var id = model.Keys.ElementAt(random.Next(model.Count));
                var changed = NewRule(random, id);
                model[id] = changed;
                index.Upsert(changed);
            }
            else if (choice == 8)
            {
                // A batch, as an import or a bulk delete applies it: new rules, changed ones (a few twice), then removals.
                var batch = new List<BlackListNumbers>();
                for (var n = random.Next(1, 40); n > 0; n--)
                {
                    var rule = NewRule(random, random.Next(3) == 0 ? model.Keys.ElementAt(random.Next(model.Count)) : nextId++);
                    batch.Add(rule);
                    model[rule.Id] = rule;
                }
                index.UpsertRange(batch);
                var gone = model.Keys.Where(_ => random.Next(200) == 0).ToList();
                Assert.Equal(gone.Count(id => model[id].Enabled), index.RemoveRange(gone));
                foreach (var id in gone) model.Remove(id);
            }
            else
            {
                var id = model.Keys.ElementAt(random.Next(model.Count));
                // A disabled rule is not in the index: removing it finds nothing.
                Assert.Equal(model[id].Enabled, index.Remove(id));
                model.Remove(id);
            }
            if (step % 500 == 0) AssertAgrees(random, index, model);
        }
        AssertAgrees(random, index, model);
        Assert.Equal(model.Values.Count(r => r.Enabled), index.Count);
    }

    private static void AssertAgrees(Random random, BlackListIndex index, Dictionary<int, BlackListNumbers> model)
    {
        var rules = model.Values.ToList();
        for (var i = 0; i < 400; i++)
        {
            // Half the callers start from a listed pattern (hits, and extensions of prefixes), half are random.
            var caller = rules.Count > 0 && random.Next(2) == 0
                ? rules[random.Next(rules.Count)].Normalized + Digits(random, random.Next(0, 4))
                : Canonical(random);
            var expected = Expected(rules, caller);
            var actual = index.Match(caller, "", Now);
            Assert.True(expected.Outcome == actual.Outcome, $"caller {caller}: expected {expected.Outcome} ({expected.Pattern}), got {actual.Outcome} ({actual.Rule?.Pattern})");
            if (expected.Outcome != MatchOutcome.None)
            {
                var rule = actual.Rule!.Value;
                Assert.Equal(expected.Pattern, rule.Pattern);
                Assert.True(model.TryGetValue(rule.Id, out var source), $"caller {caller}: matched rule {rule.Id}, which is not in the list");
                Assert.Equal(expected.Pattern, source.Number);
            }
        }
    }

    // Allow first (exact, then the longest prefix), then an exact block, then the longest block prefix.
    private static (MatchOutcome Outcome, string? Pattern) Expected(List<BlackListNumbers> rules, string caller)
    {
        var applying = rules.Where(r => r.Enabled && (r.IsPrefix ? caller.StartsWith(r.Normalized, StringComparison.Ordinal) : caller == r.Normalized)).ToList();
        static BlackListNumbers? Best(IEnumerable<BlackListNumbers> candidates)
            => candidates.OrderBy(r => r.IsPrefix).ThenByDescending(r => r.Normalized.Length).FirstOrDefault();
        if (Best(applying.Where(r => r.Kind == RuleKind.Allow)) is { } allow) return (MatchOutcome.Allowed, allow.Number);
        if (Best(applying.Where(r => r.Kind == RuleKind.Block)) is { } block) return (MatchOutcome.Blocked, block.Number);
        return (MatchOutcome.None, null);
    }

    private static BlackListNumbers NewRule(Random random, int id)
    {
        var prefix = random.Next(3) == 0;
        var normalized = prefix ? Canonical(random)[..random.Next(1, 6)] : Canonical(random);
        return new BlackListNumbers
        {
            Id = id,
            Number = prefix ? normalized + "*" : normalized,
            Normalized = normalized,
            IsPrefix = prefix,
            Kind = random.Next(10) == 0 ? RuleKind.Allow : RuleKind.Block,
            Scope = "",
            Enabled = random.Next(20) != 0,
        };
    }

    // Few distinct leading digits so that prefixes and numbers collide often; some too long to pack, some with a letter.
    private static string Canonical(Random random)
    {
        var length = random.Next(8) == 0 ? random.Next(16, 21) : random.Next(5, 12);
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('1' + random.Next(3));
        if (random.Next(12) == 0) chars[random.Next(length)] = 'a';
        return new string(chars);
    }

    private static string Digits(Random random, int count)
        => new([.. Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10)))]);
}
