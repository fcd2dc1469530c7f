namespace PbxModules.Sdk.Testing.Ami;

/// <summary>Every action a <see cref="SimulatedAmiServer"/> received, and the tests waiting for one.</summary>
internal sealed class SimulatedAmiActionLog
{
    private readonly Lock _gate = new();
    private readonly List<SimulatedAmiAction> _actions = [];
    private readonly List<(string Name, Func<SimulatedAmiAction, bool>? Predicate, TaskCompletionSource<SimulatedAmiAction> Waiter)> _waiters = [];

    public IReadOnlyList<SimulatedAmiAction> Snapshot
    {
        get { lock (_gate) return [.. _actions]; }
    }

    public void Record(SimulatedAmiAction action)
    {
        List<TaskCompletionSource<SimulatedAmiAction>> completed = [];
        lock (_gate)
        {
            _actions.Add(action);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (name, predicate, waiter) = _waiters[i];
                if (!Matches(action, name, predicate)) continue;
                completed.Add(waiter);
                _waiters.RemoveAt(i);
            }
        }

        foreach (var waiter in completed) waiter.TrySetResult(action);
    }

    public Task<SimulatedAmiAction> WaitForAsync(string name, Func<SimulatedAmiAction, bool>? predicate, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var action in _actions)
                if (Matches(action, name, predicate)) return Task.FromResult(action);
            var waiter = new TaskCompletionSource<SimulatedAmiAction>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((name, predicate, waiter));
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    public void Clear()
    {
        lock (_gate) _actions.Clear();
    }

    private static bool Matches(SimulatedAmiAction action, string name, Func<SimulatedAmiAction, bool>? predicate)
        => string.Equals(action.Name, name, StringComparison.OrdinalIgnoreCase) && (predicate is null || predicate(action));
}
