using PbxModules.Host.Text;

namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Brings one module back to where <c>c_modules</c> left it when the daemon starts: disabled stays
/// disabled; a module seen for the first time is installed and enabled (unless it vetoes); an enabled
/// one is loaded, upgraded when its folder holds a newer version, and wired in. No enable hook runs
/// again: stopping the daemon was not disabling it.
/// </summary>
internal sealed class StartTransition(string moduleId) : ModuleTransition(moduleId)
{
    public override async Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken)
    {
        var entry = context.Find(ModuleId);
        if (entry is null) return TransitionContext.NotFound(ModuleId);
        if (entry.State == ModuleState.Failed)
        {
            ModuleLog.Failed(context.Logger, entry.Id, entry.Reason!);
            return TransitionContext.Result(ModuleOperationStatus.Failed, entry.Reason!, entry);
        }
        try
        {
            await StartAsync(entry, context, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await context.Steps.FailAsync(entry, ex is ModuleLoadException ? ex.Message : $"Start-up failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
        return TransitionContext.Result(entry.State == ModuleState.Failed ? ModuleOperationStatus.Failed : ModuleOperationStatus.Done, $"Module '{ModuleId}' is {entry.State.ToString().ToLowerInvariant()}.", entry);
    }

    private static async Task StartAsync(ModuleEntry entry, TransitionContext context, CancellationToken cancellationToken)
    {
        if (!entry.RecordedEnabled)
        {
            entry.State = ModuleState.Disabled;
            entry.Reason = entry.RecordedDisabledReason;
            return;
        }

        var blocked = context.FirstDependencyNotRunning(entry);
        if (blocked is not null)
        {
            entry.Fail(Sentences.Join($"Module '{blocked}', which it depends on, is not running: {context.Find(blocked)?.Reason ?? "it is disabled"}", $"Fix or enable '{blocked}' first."));
            ModuleLog.Failed(context.Logger, entry.Id, entry.Reason!);
            return;
        }

        if (entry.InstalledVersion is null)
        {
            await context.Steps.InstallAndEnableAsync(entry, context.Hooks, cancellationToken);
            return;
        }

        await context.Steps.LoadAsync(entry, cancellationToken);
        await context.Steps.UpgradeIfDueAsync(entry, context.Hooks, cancellationToken);
        await context.Steps.ActivateAsync(entry, cancellationToken);
    }
}
