using System.Collections.Concurrent;

namespace PbxModules.Host.Scheduling;

/// <summary>
/// The module jobs running right now, per module, with a cancellation source per module: disabling a
/// module cancels its running jobs and waits for them to return, so none of its code runs afterwards.
/// Kept here rather than asked of Quartz, so that the guarantee does not depend on a scheduler API.
/// </summary>
internal sealed class ModuleJobRuns
{
    private readonly ConcurrentDictionary<string, ModuleRuns> _modules = new(StringComparer.Ordinal);

    /// <summary>Marks a run as started; dispose the result when it ends. Its token is cancelled when the module is disabled.</summary>
    public Run Start(string moduleId, CancellationToken jobToken)
    {
        var runs = _modules.GetOrAdd(moduleId, _ => new ModuleRuns());
        lock (runs)
        {
            runs.Count++;
            if (runs.Idle.Task.IsCompleted) runs.Idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new Run(runs, CancellationTokenSource.CreateLinkedTokenSource(jobToken, runs.Stopping.Token));
        }
    }

    /// <summary>Cancels the module's running jobs and waits (up to <paramref name="timeout"/>) until none runs.</summary>
    /// <returns>True when every run ended in time.</returns>
    public async Task<bool> StopAsync(string moduleId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The entry stays (cancelled) until the module is enabled again, so that a trigger that fired
        // just before the jobs were deleted starts with a cancelled token instead of running.
        var runs = _modules.GetOrAdd(moduleId, _ => new ModuleRuns());
        Task idle;
        lock (runs)
        {
            runs.Stopping.Cancel();
            idle = runs.Count == 0 ? Task.CompletedTask : runs.Idle.Task;
        }
        try
        {
            await idle.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Forgets a stopped module, so that its runs can start again after it is enabled.</summary>
    public void Reset(string moduleId) => _modules.TryRemove(moduleId, out _);

    internal sealed class ModuleRuns
    {
        public int Count;
        public TaskCompletionSource Idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly CancellationTokenSource Stopping = new();
    }

    /// <summary>One job run in progress.</summary>
    internal sealed class Run(ModuleRuns runs, CancellationTokenSource token) : IDisposable
    {
        public CancellationToken Token => token.Token;

        public void Dispose()
        {
            token.Dispose();
            lock (runs)
            {
                if (--runs.Count == 0) runs.Idle.TrySetResult();
            }
        }
    }
}
