namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Disables a module: asks it (before-disable may veto, unless the host disables it by itself),
/// wires it out (draining work in flight), runs its disable hook, records it disabled and unloads
/// its code. When the host pulls a module out, the enabled modules that depend on it go first.
/// </summary>
/// <param name="moduleId">The module id.</param>
/// <param name="automaticReason">When the host disables a module by itself: the reason to record. No veto then.</param>
internal sealed class DisableTransition(string moduleId, string? automaticReason) : ModuleTransition(moduleId)
{
    public override async Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken)
    {
        var id = ModuleId;
        var entry = context.Find(id);
        if (entry is null) return TransitionContext.NotFound(id);
        if (entry.State == ModuleState.Disabled) return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' is already disabled.", entry);
        // Nothing of a refused duplicate runs; it stays listed Failed with the reason until its folder goes.
        if (entry.IsRefusedDuplicate) return TransitionContext.Result(ModuleOperationStatus.Done, $"Module folder '{entry.Folder}' is a refused duplicate of '{entry.ClaimedId}': nothing of it runs.", entry);

        var dependents = context.Entries.Where(e => e.State == ModuleState.Enabled && e.DependsOn.Contains(id)).Select(e => e.Id).ToList();
        if (dependents.Count > 0 && automaticReason is null)
            return TransitionContext.Result(ModuleOperationStatus.Refused, $"Module '{id}' is needed by {string.Join(", ", dependents.Select(d => $"'{d}'"))}. Disable {(dependents.Count == 1 ? "it" : "them")} first.", entry);

        if (entry.State == ModuleState.Enabled && automaticReason is null && await AskAsync(entry, context, cancellationToken) is { } veto)
        {
            ModuleLog.Vetoed(context.Logger, id, "disable", veto);
            return TransitionContext.Result(ModuleOperationStatus.Refused, $"Module '{id}' refused to be disabled: {veto}", entry);
        }

        foreach (var dependent in dependents)
        {
            var dependentEntry = context.Find(dependent)!;
            var dependentReason = $"Module '{id}', which it depends on, was disabled: {automaticReason}";
            await context.Steps.DeactivateAndUnloadAsync(dependentEntry, dependentReason, context.Hooks, cancellationToken);
            // Its disable hook ran: remember it disabled, or the next start would bring it back without an enable hook.
            dependentEntry.Record(enabled: false, dependentReason);
            await context.Steps.Store.SaveAsync(dependentEntry, cancellationToken);
        }

        await context.Steps.DeactivateAndUnloadAsync(entry, automaticReason, entry.State == ModuleState.Enabled ? context.Hooks : null, cancellationToken);
        entry.Record(enabled: false, automaticReason);
        // A module that never got as far as its install hook is remembered as disabled but not installed
        // (empty version), so that enabling it later runs the install hook instead of skipping it.
        if (entry.InstalledVersion is not null || entry.ManifestError is null)
            await context.Steps.Store.SaveAsync(entry, cancellationToken);
        if (automaticReason is null) ModuleLog.Disabled(context.Logger, id);
        else ModuleLog.DisabledAutomatically(context.Logger, id, automaticReason);
        return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' disabled.", entry);
    }

    private static async Task<string?> AskAsync(ModuleEntry entry, TransitionContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Hooks.AskAsync(entry.Loaded!, LifecycleHook.BeforeDisable, static (m, c, t) => m.OnBeforeDisableAsync(c, t), cancellationToken);
        }
        catch (ModuleLoadException ex)
        {
            // Disabling must always succeed: a broken question is logged, not taken as a veto.
            ModuleLog.HookFailed(context.Logger, ex, entry.Id, LifecycleHookRunner.NameOf(LifecycleHook.BeforeDisable));
            return null;
        }
    }
}
