namespace PbxModules.Host.Modules;

/// <summary>
/// A host surface that wires modules in and out (AGI routes, AMI workers, REST endpoints, jobs,
/// dialplan). The module manager calls every listener after a module is loaded and enabled, and
/// before it is disabled or the host stops, so a disabled module is functionally gone before its
/// code is unloaded.
/// </summary>
public interface IModuleActivationListener
{
    /// <summary>Where this surface stands among the others; the manager sorts by it (ascending to wire in, descending to wire out).</summary>
    ActivationOrder Order { get; }

    /// <summary>Wires the module's contributions in. Throwing fails the module (with the message as reason).</summary>
    Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken);

    /// <summary>Wires the module's contributions out, draining work in flight. Must not throw.</summary>
    Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken);
}
