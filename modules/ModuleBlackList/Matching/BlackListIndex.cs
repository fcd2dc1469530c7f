using System.Collections.Concurrent;
using ModuleBlackList.Models;

namespace ModuleBlackList.Matching;

/// <summary>A rule as the index holds it: only what matching needs.</summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Pattern">The pattern as written, for <c>BLACKLIST_RULE</c> and the log.</param>
/// <param name="Kind">Block or allow.</param>
/// <param name="ExpiresAt">When it stops applying (UTC); null for never.</param>
/// <param name="Scope">The normalised DIDs it applies to; null for every route.</param>
public sealed record IndexedRule(int Id, string Pattern, RuleKind Kind, DateTime? ExpiresAt, string[]? Scope)
{
    /// <summary>True when the rule applies to a call on <paramref name="did"/> at <paramref name="now"/>.</summary>
    public bool AppliesTo(ReadOnlySpan<char> did, DateTime now)
    {
        if (ExpiresAt is { } expires && expires <= now) return false;
        if (Scope is null) return true;
        foreach (var s in Scope)
            if (did.SequenceEqual(s)) return true;
        return false;
    }
}

/// <summary>How a lookup ended.</summary>
public enum MatchOutcome
{
    /// <summary>No rule matched.</summary>
    None,

    /// <summary>A block rule matched and no allow rule did.</summary>
    Blocked,

    /// <summary>An allow rule matched (whatever block rules say).</summary>
    Allowed,
}

/// <summary>The result of a lookup.</summary>
/// <param name="Outcome">None, Blocked or Allowed.</param>
/// <param name="Rule">The deciding rule; null for None.</param>
public readonly record struct MatchResult(MatchOutcome Outcome, IndexedRule? Rule);

/// <summary>
/// The in-memory list the in-call check reads: exact numbers and prefixes, for blocking and for
/// allowing, keyed by their canonical form. A lookup costs one dictionary probe for the exact
/// number plus one per digit for the longest prefix (at most ~15), whatever the size of the list,
/// and allocates nothing. Updated in place by REST, feature codes and flood protection, so it
/// follows a change at once; loaded whole from the database when the module starts.
/// </summary>
public sealed class BlackListIndex
{
    private readonly Table _block = new();
    private readonly Table _allow = new();
    private readonly ConcurrentDictionary<int, (string Key, bool IsPrefix, RuleKind Kind, IndexedRule Rule)> _byId = new();

    // A check may run while a rule changes (a PATCH, a re-enable, a new region): taking a rule out before
    // putting its new version in, or clearing the index before refilling it, would let a listed caller
    // through meanwhile. So writers add the new entry first and remove the old one by reference, one
    // writer at a time; reads stay lock-free.
    private readonly Lock _writes = new();

    /// <summary>How many rules are indexed.</summary>
    public int Count => _byId.Count;

    /// <summary>Adds or replaces a rule (a disabled rule is removed).</summary>
    public void Upsert(BlackListNumbers rule)
    {
        lock (_writes)
        {
            _byId.TryGetValue(rule.Id, out var old);
            if (!rule.Enabled || rule.Normalized.Length == 0)
            {
                Remove(rule.Id);
                return;
            }
            string[]? scope = string.IsNullOrWhiteSpace(rule.Scope) ? null : rule.Scope.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var indexed = new IndexedRule(rule.Id, rule.Number.Trim(), rule.Kind, rule.ExpiresAt, scope);
            TableOf(rule.Kind).Add(rule.Normalized, rule.IsPrefix, indexed);
            _byId[rule.Id] = (rule.Normalized, rule.IsPrefix, rule.Kind, indexed);
            if (old.Rule is not null) TableOf(old.Kind).Remove(old.Key, old.IsPrefix, old.Rule);
        }
    }

    /// <summary>Removes a rule by id; false when it was not indexed.</summary>
    public bool Remove(int id)
    {
        lock (_writes)
        {
            if (!_byId.TryRemove(id, out var entry)) return false;
            TableOf(entry.Kind).Remove(entry.Key, entry.IsPrefix, entry.Rule);
            return true;
        }
    }

    /// <summary>Replaces the whole content (start-up, renormalisation): rules in both the old and the new list never stop matching.</summary>
    public void Load(IEnumerable<BlackListNumbers> rules)
    {
        lock (_writes)
        {
            var loaded = new HashSet<int>();
            foreach (var rule in rules)
            {
                Upsert(rule);
                loaded.Add(rule.Id);
            }
            foreach (var id in _byId.Keys)
                if (!loaded.Contains(id)) Remove(id);
        }
    }

    /// <summary>
    /// Looks a caller up: an allow rule (exact or prefix) wins; otherwise an exact block rule, then the
    /// longest block prefix. Rules scoped to other routes, and expired rules, are skipped.
    /// </summary>
    /// <param name="caller">The caller's canonical number.</param>
    /// <param name="did">The route's canonical number (empty when unknown: then only unscoped rules apply).</param>
    /// <param name="now">The current time (UTC).</param>
    public MatchResult Match(ReadOnlySpan<char> caller, ReadOnlySpan<char> did, DateTime now)
    {
        if (caller.IsEmpty) return default;
        if (_allow.Find(caller, did, now) is { } allow) return new(MatchOutcome.Allowed, allow);
        if (_block.Find(caller, did, now) is { } block) return new(MatchOutcome.Blocked, block);
        return default;
    }

    private Table TableOf(RuleKind kind) => kind == RuleKind.Allow ? _allow : _block;

    /// <summary>Exact and prefix rules of one kind. Values are small copy-on-write arrays: several rules may share a number with different scopes.</summary>
    private sealed class Table
    {
        private readonly ConcurrentDictionary<string, IndexedRule[]> _exact = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, IndexedRule[]> _prefix = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, IndexedRule[]>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;
        private readonly ConcurrentDictionary<string, IndexedRule[]>.AlternateLookup<ReadOnlySpan<char>> _prefixBySpan;
        private volatile int _longestPrefix;

        public Table()
        {
            _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
            _prefixBySpan = _prefix.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public void Add(string key, bool isPrefix, IndexedRule rule)
        {
            (isPrefix ? _prefix : _exact).AddOrUpdate(key, _ => [rule], (_, existing) => [.. existing, rule]);
            if (isPrefix && key.Length > _longestPrefix) _longestPrefix = key.Length;
        }

        public void Remove(string key, bool isPrefix, IndexedRule rule)
        {
            var map = isPrefix ? _prefix : _exact;
            while (map.TryGetValue(key, out var existing))
            {
                var remaining = existing.Where(r => !ReferenceEquals(r, rule)).ToArray();
                if (remaining.Length == existing.Length) return;
                var done = remaining.Length == 0
                    ? map.TryRemove(new KeyValuePair<string, IndexedRule[]>(key, existing))
                    : map.TryUpdate(key, remaining, existing);
                if (done) return;
            }
        }

        public IndexedRule? Find(ReadOnlySpan<char> caller, ReadOnlySpan<char> did, DateTime now)
        {
            if (_exactBySpan.TryGetValue(caller, out var exact) && First(exact, did, now) is { } e) return e;
            for (var length = Math.Min(caller.Length, _longestPrefix); length > 0; length--)
                if (_prefixBySpan.TryGetValue(caller[..length], out var prefix) && First(prefix, did, now) is { } p) return p;
            return null;
        }

        private static IndexedRule? First(IndexedRule[] rules, ReadOnlySpan<char> did, DateTime now)
        {
            foreach (var rule in rules)
                if (rule.AppliesTo(did, now)) return rule;
            return null;
        }
    }
}
