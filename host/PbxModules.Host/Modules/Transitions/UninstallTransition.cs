namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Uninstalls a module: disables it (a veto stops here), runs its uninstall hook, forgets its
/// state, deletes its data unless asked to keep it, and deletes its folder.
/// </summary>
internal sealed class UninstallTransition(string moduleId, bool keepData) : ModuleTransition(moduleId)
{
    public override async Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken)
    {
        var id = ModuleId;
        var dependents = context.Entries.Where(e => e.State == ModuleState.Enabled && e.Id != id && e.DependsOn.Contains(id)).Select(e => $"'{e.Id}'").ToList();
        if (dependents.Count > 0 && context.Find(id) is { } needed)
            return TransitionContext.Refused(Packages.PackageRefusalCode.HasDependents, $"Module '{id}' cannot be uninstalled: {string.Join(", ", dependents)} depend{(dependents.Count == 1 ? "s" : string.Empty)} on it and {(dependents.Count == 1 ? "is" : "are")} enabled. Uninstall or disable {(dependents.Count == 1 ? "it" : "them")} first.", needed);
        var disabled = await new DisableTransition(id, automaticReason: null).RunAsync(context, cancellationToken);
        if (disabled.Status != ModuleOperationStatus.Done) return disabled;

        var entry = context.Find(id)!;
        var steps = context.Steps;
        if (entry.ManifestError is null && entry.InstalledVersion is not null)
        {
            try
            {
                await steps.LoadAsync(entry, cancellationToken);
                await context.Hooks.RunAsync(entry.Loaded!, LifecycleHook.Uninstall, (m, c, t) => m.OnUninstallAsync(c, keepData, t), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // An uninstall must not be blocked by a broken module: say so and go on removing it.
                ModuleLog.UninstallHookFailed(context.Logger, ex, id);
            }
            finally
            {
                await steps.UnloadAsync(entry);
            }
        }

        await steps.Store.DeleteAsync(id, cancellationToken);
        // The module's pooled connections were closed when its container was disposed
        // (SqliteModuleDatabase clears its own pool); clearing every pool here would also close
        // other modules' connections. A refused duplicate never had data of its own: the data under
        // its claimed id is the installed module's.
        if (!keepData && !entry.IsRefusedDuplicate) steps.Paths.DeleteData(id);
        steps.Paths.DeleteModuleFolder(entry.Folder);
        context.Entries.Remove(entry);
        ModuleLog.Uninstalled(context.Logger, id, keepData);
        return new ModuleOperationResult(ModuleOperationStatus.Done, $"Module '{id}' uninstalled{(keepData ? "; its data was kept" : string.Empty)}.", null);
    }
}
