namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Enables a module: installs it first when it never was; otherwise loads it, upgrades it when its
/// folder holds a newer version, asks it (before-enable may veto) and runs its enable hook, then
/// wires it in. A module recorded enabled that only failed to load or start is brought back as a
/// start-up does, without its enable hooks: no disable hook ran since they did.
/// </summary>
internal sealed class EnableTransition(string moduleId) : ModuleTransition(moduleId)
{
    public override async Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken)
    {
        var id = ModuleId;
        var entry = context.Find(id);
        if (entry is null) return TransitionContext.NotFound(id);
        if (entry.State == ModuleState.Enabled) return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' is already enabled.", entry);
        if (entry.ManifestError is not null) return TransitionContext.Result(ModuleOperationStatus.Refused, $"Module '{id}' cannot be enabled: {entry.ManifestError}", entry);
        var notRunning = context.FirstDependencyNotRunning(entry);
        if (notRunning is not null) return TransitionContext.Result(ModuleOperationStatus.Refused, $"Module '{id}' depends on '{notRunning}', which is not enabled. Enable '{notRunning}' first.", entry);

        var steps = context.Steps;
        try
        {
            if (entry.InstalledVersion is null)
            {
                var installVeto = await steps.InstallAndEnableAsync(entry, context.Hooks, cancellationToken);
                return installVeto is null
                    ? TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' installed and enabled.", entry)
                    : TransitionContext.Result(ModuleOperationStatus.Refused, $"Module '{id}' refused to be enabled: {installVeto}", entry);
            }

            await steps.LoadAsync(entry, cancellationToken);
            await steps.UpgradeIfDueAsync(entry, context.Hooks, cancellationToken);
            if (entry.RecordedEnabled)
            {
                await steps.ActivateAsync(entry, cancellationToken);
                ModuleLog.Enabled(context.Logger, id);
                return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' enabled.", entry);
            }
            var veto = await steps.EnableAsync(entry, context.Hooks, recordVeto: false, cancellationToken);
            return veto is null
                ? TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' enabled.", entry)
                : TransitionContext.Result(ModuleOperationStatus.Refused, $"Module '{id}' refused to be enabled: {veto}", entry);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await steps.FailAsync(entry, ex is ModuleLoadException ? ex.Message : $"Enable failed: {ex.GetType().Name}: {ex.Message}", ex);
            return TransitionContext.Result(ModuleOperationStatus.Failed, $"Module '{id}' could not be enabled: {entry.Reason}", entry);
        }
    }
}
