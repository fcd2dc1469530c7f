using Microsoft.Extensions.Primitives;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// The endpoints of every enabled module's REST resources. Routing watches its change token, so
/// adding or removing a module's endpoint set takes effect on the next request, without a restart.
/// </summary>
/// <remarks>
/// Sets are replaced, never mutated: <see cref="Endpoints"/> is an immutable snapshot that routing
/// (and the OpenAPI document) may enumerate while another module is being enabled.
/// </remarks>
internal sealed class ModuleEndpointDataSource : EndpointDataSource
{
    private readonly Lock _lock = new();
    private Dictionary<string, ModuleEndpointSet> _sets = new(StringComparer.Ordinal);
    private IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    /// <summary>Raised after the endpoints changed (the OpenAPI explorer listens).</summary>
    public event Action? Changed;

    public override IReadOnlyList<Endpoint> Endpoints => Volatile.Read(ref _endpoints);

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>The module ids that have endpoints mapped.</summary>
    public IReadOnlyCollection<string> ModuleIds
    {
        get
        {
            lock (_lock) return [.. _sets.Keys];
        }
    }

    /// <summary>Adds a module's endpoints; refuses a route another module already maps.</summary>
    /// <exception cref="ModuleRestException">A route collides with another module's.</exception>
    public void Add(ModuleEndpointSet set)
    {
        lock (_lock)
        {
            if (_sets.ContainsKey(set.ModuleId))
                throw new ModuleRestException($"Module '{set.ModuleId}' already has REST endpoints mapped.");
            foreach (var (key, display) in set.RouteKeys)
            {
                foreach (var other in _sets.Values)
                {
                    if (other.RouteKeys.TryGetValue(key, out var taken))
                        throw new ModuleRestException($"REST route {display} collides with {taken} of module '{other.ModuleId}'.");
                }
            }
            _sets = new Dictionary<string, ModuleEndpointSet>(_sets, StringComparer.Ordinal) { [set.ModuleId] = set };
            PublishLocked();
        }
        Changed?.Invoke();
    }

    /// <summary>Removes a module's endpoints; returns the set (to drain), or null when it had none.</summary>
    public ModuleEndpointSet? Remove(string moduleId)
    {
        ModuleEndpointSet? removed;
        lock (_lock)
        {
            if (!_sets.TryGetValue(moduleId, out removed)) return null;
            var next = new Dictionary<string, ModuleEndpointSet>(_sets, StringComparer.Ordinal);
            next.Remove(moduleId);
            _sets = next;
            PublishLocked();
        }
        Changed?.Invoke();
        return removed;
    }

    private void PublishLocked()
    {
        Volatile.Write(ref _endpoints, [.. _sets.Values.SelectMany(s => s.Endpoints)]);
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
        previous.Dispose();
    }
}
