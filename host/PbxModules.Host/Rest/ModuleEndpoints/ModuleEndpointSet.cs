using System.Text.Json;
using PbxModules.Host.Draining;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// One module's mapped endpoints and what they hold on to: the per-module JSON options (whose
/// metadata cache knows the module's types) and the gate that counts calls in flight. Dropping the
/// set drops every reference the REST surface has to the module's types.
/// </summary>
internal sealed class ModuleEndpointSet(string moduleId, IReadOnlyList<Endpoint> endpoints, IReadOnlyDictionary<string, string> routeKeys, JsonSerializerOptions json, ModuleWorkGate gate)
{
    public string ModuleId { get; } = moduleId;

    public IReadOnlyList<Endpoint> Endpoints { get; } = endpoints;

    /// <summary>Normalised route key (method + pattern, parameter names erased) → how to show it.</summary>
    public IReadOnlyDictionary<string, string> RouteKeys { get; } = routeKeys;

    /// <summary>The module's own copy of the API JSON options.</summary>
    public JsonSerializerOptions Json { get; } = json;

    /// <summary>
    /// Counts the module's calls in flight, so that disabling waits for them before the module's
    /// container is disposed, and turns new calls away once draining (a request may still have
    /// matched an endpoint just before it was removed).
    /// </summary>
    public ModuleWorkGate Gate { get; } = gate;
}
