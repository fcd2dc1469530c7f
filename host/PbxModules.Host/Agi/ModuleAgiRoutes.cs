using System.Collections.Frozen;
using System.Reflection;
using PbxModules.Host.Draining;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Agi;

/// <summary>
/// One enabled module's AGI routes and the gate its sessions pass: disabling first stops new
/// sessions, then waits for the running ones to finish (<see cref="ModuleWorkGate"/>).
/// </summary>
internal sealed class ModuleAgiRoutes
{
    public ModuleAgiRoutes(LoadedModule module, TimeProvider time)
    {
        Module = module;
        Gate = new ModuleWorkGate(time);
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

    /// <summary>The module's sessions in flight; its abort token tells sessions still running at the drain time-out to stop.</summary>
    public ModuleWorkGate Gate { get; }
}
