namespace PbxModules.Host.Modules.Transitions;

/// <summary>What one transition works on: the manager's entries (under its lock), the steps, and this transition's hooks.</summary>
internal sealed class TransitionContext(List<ModuleEntry> entries, ModuleSteps steps, LifecycleHookRunner hooks, ILogger logger, Journaling.TransitionJournal journal, ModuleRegistry registry)
{
    /// <summary>The journal installs and upgrades write before each step.</summary>
    public Journaling.TransitionJournal Journal { get; } = journal;

    /// <summary>The registry, for marking a module as being upgraded (AGI calls then wait for the new version).</summary>
    public ModuleRegistry Registry { get; } = registry;

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

    /// <summary>A refusal about a package, with its code.</summary>
    public static ModuleOperationResult Refused(Packages.PackageRefusalCode code, string message, ModuleEntry? entry)
        => new(ModuleOperationStatus.Refused, message, entry?.ToInfo()) { Code = code };

    /// <summary>
    /// The first dependency in <paramref name="manifest"/> that is not installed (enabled too, when
    /// <paramref name="mustBeEnabled"/>) in a version its range accepts, as a sentence naming it; null when all are.
    /// </summary>
    public string? MissingDependency(Sdk.Modules.ModuleManifest manifest, bool mustBeEnabled)
    {
        foreach (var (dependency, rangeText) in manifest.DependsOn ?? new Dictionary<string, string>())
        {
            var installed = Find(dependency);
            if (installed is null || installed.IsRefusedDuplicate || installed.Version is null)
                return $"Module '{manifest.Id}' depends on '{dependency}' {rangeText}, which is not installed. Install '{dependency}' first.";
            if (!Semver.SemVersionRange.ParseNpm(rangeText).Contains(installed.Version))
                return $"Module '{manifest.Id}' depends on '{dependency}' {rangeText}, but version {installed.Version} is installed. Install a matching version of '{dependency}' first.";
            if (mustBeEnabled && installed.State != ModuleState.Enabled)
                return $"Module '{manifest.Id}' depends on '{dependency}', which is {installed.State.ToString().ToLowerInvariant()}. Enable '{dependency}' first.";
        }
        return null;
    }

    public static ModuleOperationResult Result(ModuleOperationStatus status, string message, ModuleEntry entry) => new(status, message, entry.ToInfo());
}
