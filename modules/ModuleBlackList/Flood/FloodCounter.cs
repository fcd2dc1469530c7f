namespace ModuleBlackList.Flood;

/// <summary>What flood protection says about one call.</summary>
/// <param name="Flooding">
/// Block it: the caller has started more calls than allowed within the window, this one included, and the
/// block rule is being stored by this call or another one (once stored, the rule blocks the caller, and
/// when an administrator deletes it the caller is let through).
/// </param>
/// <param name="Calls">The caller's calls within the window, this one included, when it was counted.</param>
/// <param name="CreateRule">This verdict is the one that must store the temporary block rule (given once per flood).</param>
public readonly record struct FloodVerdict(bool Flooding, int Calls, bool CreateRule);

/// <summary>
/// Counts each caller's calls within a sliding window, each call once, whoever sees it first: the AMI
/// worker (from the first event of the call's first channel that carries the caller's number) or the
/// in-call check (the route's AGI). The verdict of a call is kept, so the second to ask for the same
/// call gets the same answer: the check blocks the call that crosses the threshold even when the AMI
/// event counted it a moment before, and the rule is requested once. Thread-safe.
/// </summary>
public sealed class FloodCounter(TimeProvider time)
{
    /// <summary>How many calls' verdicts are remembered at most (oldest forgotten first).</summary>
    internal const int MaxRememberedCalls = 100_000;

    /// <summary>How many callers' windows are kept at most before the idle ones are pruned.</summary>
    internal const int MaxCallers = 10_000;

    // A call's verdict is kept at least this long: the AMI events and the AGI check of one call are seconds apart.
    private static readonly TimeSpan MinimumMemory = TimeSpan.FromMinutes(2);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTime>> _windows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FloodVerdict> _calls = new(StringComparer.Ordinal);
    private readonly Queue<(string CallId, DateTime At)> _callOrder = new();
    private readonly Dictionary<string, DateTime> _rulesRequested = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rulesPending = new(StringComparer.Ordinal);

    /// <summary>How many calls' verdicts are remembered now.</summary>
    public int RememberedCalls
    {
        get { lock (_gate) return _calls.Count; }
    }

    /// <summary>
    /// Counts the call <paramref name="callId"/> (Asterisk's linkedid) from <paramref name="caller"/> (a
    /// canonical number), unless it was counted already, and says whether it floods.
    /// </summary>
    /// <param name="callId">The call's linkedid (the uniqueid of its first channel).</param>
    /// <param name="caller">The caller's canonical number.</param>
    /// <param name="maxCalls">Calls allowed within the window.</param>
    /// <param name="window">The window.</param>
    /// <param name="block">How long the block rule lasts: another rule is not requested for the caller meanwhile.</param>
    public FloodVerdict Count(string callId, string caller, int maxCalls, TimeSpan window, TimeSpan block)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentException.ThrowIfNullOrEmpty(caller);
        lock (_gate)
        {
            var now = time.GetUtcNow().UtcDateTime;
            Forget(now, window > MinimumMemory ? window : MinimumMemory);
            if (_calls.TryGetValue(callId, out var seen)) return seen with { CreateRule = false };

            if (!_windows.TryGetValue(caller, out var calls)) _windows[caller] = calls = new Queue<DateTime>();
            calls.Enqueue(now);
            // Inclusive: calls at 0, 20, 40 and 60 s are four within 60 s.
            while (calls.Count > 0 && now - calls.Peek() > window) calls.Dequeue();
            if (_windows.Count > MaxCallers) Prune(now, window);

            var over = calls.Count > maxCalls;
            var create = over && !(_rulesRequested.TryGetValue(caller, out var until) && until > now);
            if (create)
            {
                _rulesRequested[caller] = now + block;
                _rulesPending.Add(caller);
            }
            // Between the request and the rule reaching the index, the count itself blocks the caller.
            var verdict = new FloodVerdict(over && (create || _rulesPending.Contains(caller)), calls.Count, create);
            _calls[callId] = verdict with { CreateRule = false };
            _callOrder.Enqueue((callId, now));
            return verdict;
        }
    }

    /// <summary>The rule requested for <paramref name="caller"/> is stored and indexed (or the caller was blocked already): it blocks from now on.</summary>
    public void RuleStored(string caller)
    {
        lock (_gate) _rulesPending.Remove(caller);
    }

    /// <summary>The rule for <paramref name="caller"/> could not be stored: the next flooding call may try again.</summary>
    public void RuleFailed(string caller)
    {
        lock (_gate)
        {
            _rulesRequested.Remove(caller);
            _rulesPending.Remove(caller);
        }
    }

    private void Forget(DateTime now, TimeSpan memory)
    {
        while (_callOrder.Count > 0 && (now - _callOrder.Peek().At > memory || _callOrder.Count > MaxRememberedCalls))
            _calls.Remove(_callOrder.Dequeue().CallId);
    }

    private void Prune(DateTime now, TimeSpan window)
    {
        foreach (var (caller, calls) in _windows.ToList())
            if (calls.Count == 0 || now - calls.Last() > window) _windows.Remove(caller);
        foreach (var (caller, until) in _rulesRequested.ToList())
            if (until <= now) _rulesRequested.Remove(caller);
    }
}
