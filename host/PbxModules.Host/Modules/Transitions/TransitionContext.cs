namespace PbxModules.Host.Modules.Transitions;

/// <summary>What one transition works on: the manager's entries (under its lock), the steps, and this transition's hooks.</summary>
internal sealed class TransitionContext(List<ModuleEntry> entries, ModuleSteps steps, LifecycleHookRunner hooks, ILogger logger)
{
    /// <summary>Every module entry, in load order; a transition may remove one (uninstall).</summary>
    public List<ModuleEntry> Entries { get; } = entries;

    public ModuleSteps Steps { get; } = steps;

    /// <summary>Runs this transition's lifecycle hooks, each at most once per module.</summary>
    public LifecycleHookRunner Hooks { get; } = hooks;

    /// <summary>The manager's logger.</summary>
    public ILogger Logger { get; } = logger;

    /// <summary>The entry with that id; ids are unique (<see cref="ModuleCatalog"/> lists a refused duplicate under an id of its own).</summary>
    public ModuleEntry? Find(string id) => Entries.FirstOrDefault(e => e.Id == id);

    /// <summary>The first module <paramref name="entry"/> depends on that is not enabled, or null.</summary>
    public string? FirstDependencyNotRunning(ModuleEntry entry) => entry.DependsOn.FirstOrDefault(d => Find(d)?.State != ModuleState.Enabled);

    public static ModuleOperationResult NotFound(string id) => new(ModuleOperationStatus.NotFound, $"No module '{id}' is installed.", null);

    public static ModuleOperationResult Result(ModuleOperationStatus status, string message, ModuleEntry entry) => new(status, message, entry.ToInfo());
}
