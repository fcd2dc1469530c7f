namespace PbxModules.Host.Modules;

/// <summary>
/// How <see cref="ModuleLoader"/> isolates modules, set in code by an in-process host (the test host), never
/// bound from configuration: a PBX always runs every module in its own load context.
/// </summary>
public sealed class ModuleLoaderOptions
{
    /// <summary>
    /// True to resolve each module's own assembly (and, through it, every dependency the process already has) from
    /// the default load context when the process can load it there, instead of from the module folder: a test that
    /// references the module then sees the very types the loaded module runs, and can resolve its internal services
    /// from the module's container. The cost: the module is not isolated from the test any more (its assembly and its
    /// dependencies are the test process's, one copy for every load; disabling it unloads nothing), so what isolation
    /// guarantees (private dependency versions, unloading) is not tested with it on. Default false.
    /// </summary>
    public bool ShareModuleAssemblies { get; init; }
}
