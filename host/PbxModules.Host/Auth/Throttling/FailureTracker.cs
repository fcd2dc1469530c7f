namespace PbxModules.Host.Auth.Throttling;

/// <summary>
/// Failed attempts per key (an account or a client address) and the lock they earned, in a table of
/// bounded size. The built-in rate limiter counts requests, not failures, and cannot be told that a
/// success clears the count: this is the part it does not do.
/// </summary>
/// <remarks>
/// When the table is full, forgotten entries go first, then the unlocked entry that failed longest
/// ago, and only then the lock that ends soonest: a spray of new names or addresses cannot lift a
/// running lock while unlocked entries remain.
/// </remarks>
internal sealed class FailureTracker(AuthThrottleOptions options, TimeProvider time)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>How many keys are tracked now.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>How long <paramref name="key"/> stays locked, or null when it is not locked.</summary>
    public TimeSpan? RetryAfter(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry)) return null;
            var now = time.GetUtcNow();
            return entry.LockedUntil > now ? entry.LockedUntil - now : null;
        }
    }

    /// <summary>Counts a failure of <paramref name="key"/>; returns the lock it starts, or null while failures are still free.</summary>
    public Lockout? RecordFailure(string key)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!_entries.TryGetValue(key, out var entry))
            {
                MakeRoom(now);
                entry = new Entry();
                _entries[key] = entry;
            }
            else if (Forgotten(entry, now))
            {
                entry.Failures = 0;
            }
            entry.Failures++;
            entry.LastFailure = now;
            if (entry.Failures < options.MaxFailures) return null;

            var duration = LockoutFor(entry.Failures - options.MaxFailures);
            entry.LockedUntil = now + duration;
            return new Lockout(duration, entry.Failures);
        }
    }

    /// <summary>Forgets <paramref name="key"/>: a success clears its failures and its lock.</summary>
    public void Reset(string key)
    {
        lock (_lock) _entries.Remove(key);
    }

    // FirstLockout, doubled per failure beyond the first lock, capped at MaxLockout (no overflow).
    private TimeSpan LockoutFor(int doublings)
    {
        var ticks = options.FirstLockout.Ticks;
        for (var i = 0; i < doublings && ticks < options.MaxLockout.Ticks; i++) ticks *= 2;
        return TimeSpan.FromTicks(Math.Min(ticks, options.MaxLockout.Ticks));
    }

    private bool Forgotten(Entry entry, DateTimeOffset now)
        => entry.LockedUntil <= now && now - entry.LastFailure > options.FailureWindow;

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < options.MaxTrackedEntries) return;
        foreach (var (key, entry) in _entries)
        {
            if (Forgotten(entry, now)) _entries.Remove(key);
        }
        if (_entries.Count < options.MaxTrackedEntries) return;

        string? victim = null;
        Entry? chosen = null;
        foreach (var (key, entry) in _entries)
        {
            if (chosen is null || Before(entry, chosen, now))
            {
                victim = key;
                chosen = entry;
            }
        }
        if (victim is not null) _entries.Remove(victim);
    }

    // Unlocked before locked; among unlocked, the oldest failure; among locked, the lock that ends first.
    private static bool Before(Entry candidate, Entry current, DateTimeOffset now)
    {
        var candidateLocked = candidate.LockedUntil > now;
        var currentLocked = current.LockedUntil > now;
        if (candidateLocked != currentLocked) return !candidateLocked;
        return candidateLocked ? candidate.LockedUntil < current.LockedUntil : candidate.LastFailure < current.LastFailure;
    }

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset LockedUntil;
    }
}

/// <summary>A lock that a failure started: how long, and after how many failures.</summary>
internal readonly record struct Lockout(TimeSpan Duration, int Failures);
