using System.Collections.Concurrent;
using PbxModules.Host.Draining;

namespace PbxModules.Host.Scheduling;

/// <summary>
/// The module jobs running right now, one <see cref="ModuleWorkGate"/> per module: disabling a module
/// cancels its running jobs and waits for them to return, so none of its code runs afterwards.
/// Kept here rather than asked of Quartz, so that the guarantee does not depend on a scheduler API.
/// </summary>
internal sealed class ModuleJobRuns(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ModuleWorkGate> _modules = new(StringComparer.Ordinal);

    /// <summary>
    /// Marks a run as started; dispose the result when it ends. Its token is cancelled when the module
    /// is disabled. Null when the module is being (or has been) disabled: the job must not run.
    /// </summary>
    public Run? TryStart(string moduleId, CancellationToken jobToken)
    {
        var gate = _modules.GetOrAdd(moduleId, _ => new ModuleWorkGate(time));
        return gate.TryEnter() ? new Run(gate, CancellationTokenSource.CreateLinkedTokenSource(jobToken, gate.AbortToken)) : null;
    }

    /// <summary>Cancels the module's running jobs and waits (up to <paramref name="timeout"/>) until none runs.</summary>
    public Task<ModuleDrainResult> StopAsync(string moduleId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The gate stays (closed) until the module is enabled again, so that a trigger that fired
        // just before the jobs were deleted does not start.
        var gate = _modules.GetOrAdd(moduleId, _ => new ModuleWorkGate(time));
        return gate.AbortAsync(timeout, cancellationToken);
    }

    /// <summary>Forgets a stopped module, so that its runs can start again after it is enabled.</summary>
    public void Reset(string moduleId) => _modules.TryRemove(moduleId, out _);

    /// <summary>One job run in progress.</summary>
    internal sealed class Run(ModuleWorkGate gate, CancellationTokenSource token) : IDisposable
    {
        public CancellationToken Token => token.Token;

        public void Dispose()
        {
            token.Dispose();
            gate.Leave();
        }
    }
}
