namespace PbxModules.Host.Draining;

/// <summary>
/// Counts one module's work in flight on one surface (AGI sessions, REST calls, job runs, workers,
/// service stops) so that the module's code is unloaded only after that work has ended or has been
/// told to stop and given its grace. Work enters before it runs module code and leaves when it is done;
/// once draining starts nothing enters any more. The work watches <see cref="AbortToken"/>, which the
/// gate cancels when waiting has taken too long.
/// </summary>
/// <remarks>
/// Every count change and the draining flag are under one lock, so the last leave always sees the
/// drain that started before it and completes it: a drain cannot miss its wake-up.
/// </remarks>
internal sealed class ModuleWorkGate(TimeProvider time)
{
    /// <summary>How long work that was aborted still gets to end (a handler writing its answer, a job rolling back).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly object _lock = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private int _inFlight;
    private bool _draining;

    /// <summary>Cancelled when the work still running is to stop: the drain timed out, or <see cref="AbortAsync"/> was called.</summary>
    public CancellationToken AbortToken => _abort.Token;

    /// <summary>Work in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock) return _inFlight;
        }
    }

    /// <summary>Counts work in; false once draining has started (the module is going away: do not run its code).</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_draining) return false;
            _inFlight++;
            return true;
        }
    }

    /// <summary>Counts work out; call exactly once for each successful <see cref="TryEnter"/>.</summary>
    public void Leave()
    {
        lock (_lock)
        {
            if (_inFlight == 0) throw new InvalidOperationException("Leave without a matching TryEnter.");
            if (--_inFlight == 0 && _draining) _idle.TrySetResult();
        }
    }

    /// <summary>
    /// Turns new work away and waits up to <paramref name="timeout"/> for the work in flight to leave;
    /// then cancels <see cref="AbortToken"/> and waits up to <see cref="Grace"/> more.
    /// </summary>
    /// <returns>What was aborted, and what was still running when the grace ran out.</returns>
    public async Task<ModuleDrainResult> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var idle = Close();
        try
        {
            await idle.WaitAsync(timeout, time, cancellationToken);
            return ModuleDrainResult.Ended;
        }
        catch (TimeoutException)
        {
        }
        return await AbortAndWaitAsync(Grace, cancellationToken);
    }

    /// <summary>
    /// Turns new work away, cancels <see cref="AbortToken"/> at once and waits up to
    /// <paramref name="timeout"/> for the work in flight to leave: for work that runs until told to
    /// stop (a worker loop, a scheduled job), where stopping is the normal end.
    /// </summary>
    /// <returns>What was aborted, and what was still running after <paramref name="timeout"/>.</returns>
    public Task<ModuleDrainResult> AbortAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Close();
        return AbortAndWaitAsync(timeout, cancellationToken);
    }

    private Task Close()
    {
        lock (_lock)
        {
            _draining = true;
            if (_inFlight == 0) _idle.TrySetResult();
            return _idle.Task;
        }
    }

    private async Task<ModuleDrainResult> AbortAndWaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var aborted = InFlight;
        // The deadline starts before the work is told to stop, so that whoever watches the abort token
        // (a test on a fake clock among them) finds the grace already running.
        var ended = _idle.Task.WaitAsync(wait, time, cancellationToken);
        // The token turns cancelled at once; its callbacks (the work's, linked tokens') run on the thread
        // pool, so that a callback that blocks cannot hold the drain past its grace. One that throws
        // changes nothing here: the work ends, or is counted, on its own.
        _ = _abort.CancelAsync().ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            await ended;
            return new ModuleDrainResult(aborted, 0);
        }
        catch (TimeoutException)
        {
            return new ModuleDrainResult(aborted, InFlight);
        }
    }
}
