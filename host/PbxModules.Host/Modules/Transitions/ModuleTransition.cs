namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// One operation on one module, run by <see cref="ModuleManager"/> under its lock, with its own
/// <see cref="LifecycleHookRunner"/>, and published to the registry when it ends whatever happened.
/// A transition decides from the entry's state which <see cref="ModuleSteps"/> to take; a new
/// operation (install from a package, upgrade to a version, roll back) is a new subclass.
/// </summary>
internal abstract class ModuleTransition(string moduleId)
{
    /// <summary>The module it works on.</summary>
    public string ModuleId { get; } = moduleId;

    /// <summary>Runs the transition. A module's failure is a result, never an exception; cancellation propagates.</summary>
    public abstract Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken);
}
