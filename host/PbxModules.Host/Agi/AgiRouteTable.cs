using System.Collections.Frozen;
using System.Reflection;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Agi;

/// <summary>
/// One enabled module's AGI routes and the sessions it has in flight. Disabling first stops new
/// sessions (<see cref="TryEnter"/> fails), then waits for the running ones to finish.
/// </summary>
internal sealed class ModuleAgiRoutes
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abort = new();
    private int _inFlight;
    private bool _draining;

    public ModuleAgiRoutes(LoadedModule module)
    {
        Module = module;
        Handlers = module.Contributions
            .Where(c => c.Kind == ContributionKind.AgiHandler)
            .ToFrozenDictionary(
                c => c.Name!,
                c => (c.ImplementationType, c.ImplementationType.GetCustomAttribute<AgiHandlerAttribute>()?.TimeoutSeconds ?? 0),
                StringComparer.Ordinal);
    }

    public LoadedModule Module { get; }

    /// <summary>Handler route → its type and its own time budget in seconds (0: the host default).</summary>
    public FrozenDictionary<string, (Type Type, int TimeoutSeconds)> Handlers { get; }

    /// <summary>Cancelled when draining took too long: sessions still running are told to stop.</summary>
    public CancellationToken AbortToken => _abort.Token;

    public bool TryEnter()
    {
        lock (_drained)
        {
            if (_draining) return false;
            _inFlight++;
            return true;
        }
    }

    public void Exit()
    {
        lock (_drained)
        {
            if (--_inFlight == 0 && _draining) _drained.TrySetResult();
        }
    }

    /// <summary>Stops new sessions and waits for the running ones; after <paramref name="timeout"/> cancels them and waits a little more.</summary>
    public async Task<int> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_drained)
        {
            _draining = true;
            if (_inFlight == 0) _drained.TrySetResult();
        }
        try
        {
            await _drained.Task.WaitAsync(timeout, cancellationToken);
            return 0;
        }
        catch (TimeoutException)
        {
            int left;
            lock (_drained) left = _inFlight;
            await _abort.CancelAsync();
            try
            {
                await _drained.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (TimeoutException)
            {
            }
            return left;
        }
    }
}
