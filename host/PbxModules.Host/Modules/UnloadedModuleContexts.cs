namespace PbxModules.Host.Modules;

/// <summary>
/// The load contexts of the modules unloaded while the daemon runs (disabled, failed, replaced), held
/// weakly: which of them the runtime has not collected yet. A context stays alive while anything
/// process-wide still references one of its types (framework caches filled while the module's REST
/// endpoints were built, see docs/UNLOADING.md). Its module is functionally gone all the same; the
/// memory comes back at the next restart. <c>/healthz</c> reports the count, so that a daemon whose
/// modules are cycled often shows what it keeps.
/// </summary>
public sealed class UnloadedModuleContexts
{
    private readonly Lock _lock = new();
    private readonly List<UnloadedModuleContext> _contexts = [];
    private int _unloaded;

    /// <summary>How many load contexts were unloaded since the daemon started, collected or not.</summary>
    public int Unloaded => Volatile.Read(ref _unloaded);

    /// <summary>Records a module's load context the manager has just unloaded.</summary>
    public void Add(string moduleId, WeakReference context)
    {
        lock (_lock)
        {
            _contexts.Add(new UnloadedModuleContext(moduleId, context));
            _unloaded++;
        }
    }

    /// <summary>The unloaded contexts the runtime has not collected yet, oldest first; collected ones are forgotten.</summary>
    public IReadOnlyList<UnloadedModuleContext> StillAlive()
    {
        lock (_lock)
        {
            _contexts.RemoveAll(c => !c.Context.IsAlive);
            return [.. _contexts];
        }
    }
}

/// <summary>One unloaded load context: whose it was, and a weak reference to it.</summary>
public sealed record UnloadedModuleContext(string ModuleId, WeakReference Context);
