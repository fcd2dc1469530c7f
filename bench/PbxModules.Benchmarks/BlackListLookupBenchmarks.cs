using BenchmarkDotNet.Attributes;
using ModuleBlackList.Matching;
using ModuleBlackList.Models;

namespace PbxModules.Benchmarks;

/// <summary>
/// ModuleBlackList's in-call lookup: <see cref="BlackListIndex.Match"/> over 10k, 100k and 1M rules
/// (<see cref="BlackListRuleSet"/>: exact and prefix rules, block and allow), for a batch of
/// <see cref="Batch"/> callers, half hits and half misses. Figures are per lookup. The point: the
/// index costs the same whatever the size of the list. Baseline: the obvious linear scan over the
/// same rules with the same semantics (an allow rule wins, then an exact block rule, then the
/// longest block prefix), which grows with the list.
/// </summary>
[MemoryDiagnoser]
public class BlackListLookupBenchmarks
{
    /// <summary>Lookups per invocation.</summary>
    public const int Batch = 64;

    private static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
    private BlackListIndex _index = new();
    private LinearRule[] _linear = [];
    private string[] _callers = [];

    /// <summary>How many rules the list holds.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rules = BlackListRuleSet.Rules(Rules);
        _index = new BlackListIndex();
        _index.Load(rules);
        _linear = [.. rules.Select(r => new LinearRule(r.Normalized, r.IsPrefix, r.Kind, r.Id))];
        _callers = BlackListRuleSet.Callers(rules, Batch);
        // The two must agree, or the comparison means nothing.
        foreach (var caller in _callers)
        {
            var a = _index.Match(caller, "", Now);
            var b = LinearMatch(caller);
            if (a.Outcome != b)
                throw new InvalidOperationException($"Index and linear scan disagree on {caller}: {a.Outcome} vs {b}");
        }
    }

    /// <summary>The naive list: scan every rule, keep the best match.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int LinearScan()
    {
        var blocked = 0;
        foreach (var caller in _callers)
            if (LinearMatch(caller) == MatchOutcome.Blocked) blocked++;
        return blocked;
    }

    /// <summary>The module's index: one exact probe and one probe per prefix length, per table.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int IndexMatch()
    {
        var blocked = 0;
        foreach (var caller in _callers)
            if (_index.Match(caller, "", Now).Outcome == MatchOutcome.Blocked) blocked++;
        return blocked;
    }

    private MatchOutcome LinearMatch(string caller)
    {
        int? allow = null, exactBlock = null, prefixBlock = null;
        var prefixLength = 0;
        foreach (var rule in _linear)
        {
            var matches = rule.IsPrefix
                ? caller.StartsWith(rule.Key, StringComparison.Ordinal)
                : caller.Equals(rule.Key, StringComparison.Ordinal);
            if (!matches) continue;
            if (rule.Kind == RuleKind.Allow) allow ??= rule.Rule;
            else if (!rule.IsPrefix) exactBlock ??= rule.Rule;
            else if (rule.Key.Length > prefixLength)
            {
                prefixBlock = rule.Rule;
                prefixLength = rule.Key.Length;
            }
        }
        if (allow is not null) return MatchOutcome.Allowed;
        return (exactBlock ?? prefixBlock) is not null ? MatchOutcome.Blocked : MatchOutcome.None;
    }

    private sealed record LinearRule(string Key, bool IsPrefix, RuleKind Kind, int Rule);
}
