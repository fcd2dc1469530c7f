using ModuleBlackList.Models;

namespace ModuleBlackList.Matching;

/// <summary>
/// A rule as a lookup reports it: a reference into the index's compact storage (no object per rule;
/// the pattern is decoded when read).
/// </summary>
public readonly struct IndexedRule : IEquatable<IndexedRule>
{
    private readonly RuleSnapshot _snapshot;
    private readonly int _row;

    internal IndexedRule(RuleSnapshot snapshot, int row)
    {
        _snapshot = snapshot;
        _row = row;
    }

    /// <summary>The rule's id.</summary>
    public int Id => _snapshot.IdOf(_row);

    /// <summary>The pattern as written, for <c>BLACKLIST_RULE</c> and the log.</summary>
    public string Pattern => _snapshot.PatternOf(_row);

    /// <summary>Block or allow.</summary>
    public RuleKind Kind => _snapshot.KindOf(_row);

    /// <summary>When it stops applying (UTC); null for never.</summary>
    public DateTime? ExpiresAt => _snapshot.ExpiresOf(_row);

    /// <inheritdoc/>
    public bool Equals(IndexedRule other) => ReferenceEquals(_snapshot, other._snapshot) && _row == other._row;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IndexedRule other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_snapshot, _row);

    /// <summary>Same rule of the same index version.</summary>
    public static bool operator ==(IndexedRule left, IndexedRule right) => left.Equals(right);

    /// <summary>Not the same.</summary>
    public static bool operator !=(IndexedRule left, IndexedRule right) => !left.Equals(right);
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

/// <summary>One rule as the loaders hand it over (no entity, no change tracking).</summary>
/// <param name="Id">Key.</param>
/// <param name="Number">The pattern as written.</param>
/// <param name="Normalized">The canonical form (without the prefix's <c>*</c>).</param>
/// <param name="IsPrefix">A prefix pattern.</param>
/// <param name="Kind">Block or allow.</param>
/// <param name="Enabled">Disabled rules are not indexed.</param>
/// <param name="ExpiresAt">Expiry (UTC) or null.</param>
/// <param name="Scope">The normalised DIDs, comma-separated; empty for every route.</param>
public readonly record struct RuleRecord(int Id, string Number, string Normalized, bool IsPrefix, RuleKind Kind, bool Enabled, DateTime? ExpiresAt, string? Scope)
{
    /// <summary>The index's view of a stored rule.</summary>
    public static RuleRecord Of(BlackListNumbers rule)
        => new(rule.Id, rule.Number, rule.Normalized, rule.IsPrefix, rule.Kind, rule.Enabled, rule.ExpiresAt, rule.Scope);
}

/// <summary>
/// The in-memory list the in-call check reads. A lookup costs one hash probe for the exact number
/// plus one per prefix length that block or allow rules actually use, whatever the size of the list,
/// and allocates nothing. Storage is compact (<see cref="RuleSnapshot"/>: ~30 bytes per rule instead of
/// a record, two strings and dictionary entries): a large immutable base snapshot plus a small
/// overlay of recent changes, merged into a new base once the overlay grows, so that a single change
/// costs O(overlay), not O(list). Readers see one immutable state, swapped atomically: a rule being
/// changed never stops matching meanwhile.
/// </summary>
public sealed class BlackListIndex
{
    private readonly Lock _writes = new();
    private volatile State _state = new(RuleSnapshot.Empty, RuleSnapshot.Empty, [], new HashSet<int>(), 0);

    /// <summary>How many rules are indexed.</summary>
    public int Count => _state.Count;

    /// <summary>Adds or replaces a rule (a disabled rule is removed).</summary>
    public void Upsert(BlackListNumbers rule) => Upsert(RuleRecord.Of(rule));

    /// <summary>Adds or replaces a rule (a disabled rule is removed).</summary>
    public void Upsert(RuleRecord rule) => Apply([(rule.Id, rule)]);

    /// <summary>
    /// Adds or replaces many rules (an import) as one change: readers see all of them or none, and the
    /// overlay is rebuilt (or merged into the base) once, not once per rule.
    /// </summary>
    public void UpsertRange(IEnumerable<BlackListNumbers> rules) => Apply(rules.Select(r => (r.Id, (RuleRecord?)RuleRecord.Of(r))));

    /// <summary>Removes a rule by id; false when it was not indexed.</summary>
    public bool Remove(int id) => Apply([(id, null)]) > 0;

    /// <summary>Removes rules by id as one change; returns how many were indexed.</summary>
    public int RemoveRange(IEnumerable<int> ids) => Apply(ids.Select(id => (id, (RuleRecord?)null)));

    // Applies changes in order (a record to add or replace, or null to remove) and publishes once. A rule
    // whose last change is a record goes to the end of the overlay, in the order of those last changes, as
    // one change at a time would have put it. Returns how many removals found their rule indexed.
    private int Apply(IEnumerable<(int Id, RuleRecord? Rule)> changes)
    {
        lock (_writes)
        {
            var s = _state;
            var last = new Dictionary<int, RuleRecord?>();
            var order = new List<int>();
            HashSet<int>? inRecent = null;
            var removed = 0;
            foreach (var (id, change) in changes)
            {
                var rule = change is { Enabled: true, Normalized.Length: > 0 } ? change : null;
                if (rule is null)
                {
                    var present = last.TryGetValue(id, out var current)
                        ? current is not null
                        : (inRecent ??= [.. s.Recent.Select(r => r.Id)]).Contains(id) || (s.Base.Contains(id) && !s.Hidden.Contains(id));
                    if (present && change is null) removed++;
                }
                if (last.Remove(id)) order.Remove(id);
                last[id] = rule;
                order.Add(id);
            }
            if (last.Count == 0) return 0;
            var recent = new List<RuleRecord>(s.Recent.Count + order.Count);
            foreach (var r in s.Recent)
                if (!last.ContainsKey(r.Id)) recent.Add(r);
            foreach (var id in order)
                if (last[id] is { } rule) recent.Add(rule);
            HashSet<int>? hidden = null;
            foreach (var id in order)
                if (s.Base.Contains(id) && !s.Hidden.Contains(id)) (hidden ??= new HashSet<int>(s.Hidden)).Add(id);
            Publish(s.Base, recent, hidden ?? s.Hidden);
            return removed;
        }
    }

    /// <summary>Replaces the whole content (start-up, renormalisation): rules in both the old and the new list never stop matching.</summary>
    public void Load(IEnumerable<BlackListNumbers> rules) => Load(rules.Select(RuleRecord.Of));

    /// <summary>Replaces the whole content from records streamed by a loader (built aside, then swapped in at once).</summary>
    public void Load(IEnumerable<RuleRecord> rules)
    {
        var builder = new RuleSnapshot.Builder();
        foreach (var rule in rules) Add(builder, rule);
        var built = builder.Build();
        lock (_writes) _state = new State(built, RuleSnapshot.Empty, [], new HashSet<int>(), built.Count);
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
        var s = _state;
        var ticks = now.Ticks;
        if (Find(s, allow: true, caller, did, ticks) is { } allow) return new(MatchOutcome.Allowed, allow);
        if (Find(s, allow: false, caller, did, ticks) is { } block) return new(MatchOutcome.Blocked, block);
        return default;
    }

    private static IndexedRule? Find(State s, bool allow, ReadOnlySpan<char> caller, ReadOnlySpan<char> did, long now)
    {
        var digits = RuleKey.LeadingDigits(caller);
        var packable = Math.Min(digits, RuleKey.MaxDigits);
        var value = RuleKey.ValueOf(caller[..packable]);
        var exactGroup = allow ? RuleKey.AllowExact : RuleKey.BlockExact;
        var prefixGroup = exactGroup + 1;
        if (digits == caller.Length && caller.Length <= RuleKey.MaxDigits)
        {
            var key = RuleKey.Of(exactGroup, caller.Length, value);
            if (Probe(s, key, did, now) is { } e) return e;
        }
        else if (ProbeOdd(s, exactGroup, caller, did, now) is { } odd) return odd;

        var side = allow ? 1 : 0;
        var oddLongest = Math.Max(s.Base.LongestOddPrefix[side], s.Recent.Count == 0 ? 0 : s.Overlay.LongestOddPrefix[side]);
        for (var length = Math.Min(caller.Length, oddLongest); length > packable; length--)
            if (ProbeOdd(s, prefixGroup, caller[..length], did, now) is { } p) return p;
        var lengths = (s.Base.PrefixLengths[side] | s.Overlay.PrefixLengths[side]) & ((2UL << packable) - 1);
        while (lengths != 0)
        {
            var length = 63 - (int)ulong.LeadingZeroCount(lengths);
            lengths &= ~(1UL << length);
            var key = RuleKey.Of(prefixGroup, length, RuleKey.Truncate(value, packable, length));
            if (Probe(s, key, did, now) is { } p) return p;
        }
        // Shorter odd prefixes (not all digits) cannot exist below the leading digit run.
        return null;
    }

    private static IndexedRule? Probe(State s, ulong key, ReadOnlySpan<char> did, long now)
    {
        var row = s.Base.Find(key, did, now, s.Hidden);
        if (row >= 0) return new IndexedRule(s.Base, row);
        if (s.Recent.Count == 0) return null;
        row = s.Overlay.Find(key, did, now, null);
        return row >= 0 ? new IndexedRule(s.Overlay, row) : null;
    }

    private static IndexedRule? ProbeOdd(State s, int group, ReadOnlySpan<char> normalized, ReadOnlySpan<char> did, long now)
    {
        if (s.Base.HasOdd(group) && s.Base.FindOdd(group, normalized, did, now, s.Hidden) is var row && row >= 0) return new IndexedRule(s.Base, row);
        if (s.Overlay.HasOdd(group) && s.Overlay.FindOdd(group, normalized, did, now, null) is var o && o >= 0) return new IndexedRule(s.Overlay, o);
        return null;
    }

    /// <summary>Swaps in the new state; merges the overlay into a new base when it has grown past a small share of the list.</summary>
    private void Publish(RuleSnapshot @base, List<RuleRecord> recent, HashSet<int> hidden)
    {
        var count = @base.Count - hidden.Count + recent.Count;
        if (recent.Count + hidden.Count > Math.Clamp(@base.Count / 256, 256, 4096))
        {
            var builder = new RuleSnapshot.Builder();
            for (var row = 0; row < @base.Count; row++)
                if (!hidden.Contains(@base.IdOf(row))) builder.AddFrom(@base, row);
            foreach (var rule in recent) Add(builder, rule);
            _state = new State(builder.Build(), RuleSnapshot.Empty, [], new HashSet<int>(), count);
            return;
        }
        var overlay = new RuleSnapshot.Builder();
        foreach (var rule in recent) Add(overlay, rule);
        _state = new State(@base, overlay.Build(), recent, hidden, count);
    }

    private static void Add(RuleSnapshot.Builder builder, RuleRecord rule)
    {
        if (!rule.Enabled || rule.Normalized.Length == 0) return;
        string[]? scope = string.IsNullOrWhiteSpace(rule.Scope) ? null : rule.Scope.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.Add(rule.Id, rule.Number, rule.Normalized, rule.IsPrefix, rule.Kind, rule.ExpiresAt, scope);
    }

    /// <param name="Base">The bulk of the list.</param>
    /// <param name="Overlay">The recent changes, packed.</param>
    /// <param name="Recent">The recent changes as records (to rebuild the overlay), in order.</param>
    /// <param name="Hidden">Ids of base rules replaced or removed since (never mutated once published).</param>
    /// <param name="Count">Rules indexed.</param>
    private sealed record State(RuleSnapshot Base, RuleSnapshot Overlay, List<RuleRecord> Recent, HashSet<int> Hidden, int Count);
}
