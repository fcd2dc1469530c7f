using System.Text.Json;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// One module's mapped endpoints and what they hold on to: the per-module JSON options (whose
/// metadata cache knows the module's types) and the gate that counts calls in flight. Dropping the
/// set drops every reference the REST surface has to the module's types.
/// </summary>
internal sealed class ModuleEndpointSet(string moduleId, IReadOnlyList<Endpoint> endpoints, IReadOnlyDictionary<string, string> routeKeys, JsonSerializerOptions json, ModuleCallGate gate)
{
    public string ModuleId { get; } = moduleId;

    public IReadOnlyList<Endpoint> Endpoints { get; } = endpoints;

    /// <summary>Normalised route key (method + pattern, parameter names erased) → how to show it.</summary>
    public IReadOnlyDictionary<string, string> RouteKeys { get; } = routeKeys;

    /// <summary>The module's own copy of the API JSON options.</summary>
    public JsonSerializerOptions Json { get; } = json;

    /// <summary>Counts the module's calls in flight; closed when the module is disabled.</summary>
    public ModuleCallGate Gate { get; } = gate;
}

/// <summary>
/// Counts a module's REST calls in flight, so that disabling waits for them before the module's
/// container is disposed, and turns new calls away once closed (a request may still have matched
/// an endpoint just before it was removed).
/// </summary>
internal sealed class ModuleCallGate
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _closed;

    /// <summary>Counts a call in; false when the module is going away.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (!_closed) return true;
        Exit();
        return false;
    }

    /// <summary>Counts a call out.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _closed) _drained.TrySetResult();
    }

    /// <summary>Turns new calls away; returns a task that completes when the calls in flight have finished.</summary>
    public Task CloseAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        if (Volatile.Read(ref _inFlight) == 0) _drained.TrySetResult();
        return _drained.Task.WaitAsync(cancellationToken);
    }
}
