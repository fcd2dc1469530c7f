using PbxModules.Host.Modules.Journaling;
using PbxModules.Host.Packages;
using PbxModules.Host.Text;

namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Installs a verified package of a module that is not installed: refuses when it is, or when a
/// dependency is not installed (and enabled) in a version it accepts; otherwise journals each step:
/// extracts into a staging folder, backs up data kept from an earlier uninstall, moves the folder in
/// with one rename, loads and migrates, runs the install hook, and enables it (unless asked not to, or
/// it vetoes: it is then installed, disabled). Any failure undoes everything (<see cref="TransitionJournal.RollBackAsync"/>):
/// no folder, no row, no data of its own is left.
/// </summary>
internal sealed class InstallTransition(IModulePackage package, bool enable) : ModuleTransition(package.Id)
{
    public override async Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken)
    {
        var id = ModuleId;
        var version = package.Version.ToString();
        if (context.Entries.FirstOrDefault(e => e.Id == id || e.ClaimedId == id) is { } installed)
            return TransitionContext.Refused(PackageRefusalCode.AlreadyInstalled, $"Module '{id}' is already installed (version {installed.InstalledVersion ?? installed.Manifest?.Version ?? "unknown"}, folder '{installed.Folder}'). Upgrade it instead, or uninstall it first.", installed);
        var steps = context.Steps;
        var target = Path.Combine(steps.Paths.ModulesDirectory, id);
        if (Directory.Exists(target))
            return TransitionContext.Refused(PackageRefusalCode.AlreadyInstalled, $"Module '{id}' cannot be installed: the folder '{target}' already exists. Remove it, then install again.", null);
        if (context.MissingDependency(package.Manifest, mustBeEnabled: enable) is { } missing)
            return TransitionContext.Refused(PackageRefusalCode.MissingDependency, missing, null);

        var records = await steps.Store.GetAllAsync(cancellationToken);
        var journal = context.Journal.Begin(TransitionStepNames.Install, id, version, null, target, records.GetValueOrDefault(id));
        ModuleEntry? entry = null;
        try
        {
            await context.Journal.CheckpointAsync(journal, TransitionStep.Begun, cancellationToken);
            Directory.CreateDirectory(journal.StagingFolder);
            await package.ExtractToAsync(journal.StagingFolder, cancellationToken);
            await context.Journal.CheckpointAsync(journal, TransitionStep.Staged, cancellationToken);
            // Data kept by an earlier uninstall is what this install migrates: it must come back as it was if the install fails.
            context.Journal.BackUpData(journal);
            await context.Journal.CheckpointAsync(journal, TransitionStep.DataBackedUp, cancellationToken);
            Directory.Move(journal.StagingFolder, target);
            await context.Journal.CheckpointAsync(journal, TransitionStep.Swapped, cancellationToken);

            entry = UpgradeTransition.ReadEntry(id, target, package);
            context.Entries.Add(entry);
            await steps.LoadAsync(entry, cancellationToken);
            await context.Journal.CheckpointAsync(journal, TransitionStep.Migrated, cancellationToken);
            await context.Hooks.RunAsync(entry.Loaded!, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), cancellationToken);
            entry.InstalledVersion = version;
            ModuleLog.Installed(context.Logger, id, version);
            await context.Journal.CheckpointAsync(journal, TransitionStep.HooksRun, cancellationToken);

            string? veto = null;
            if (enable)
            {
                veto = await steps.EnableAsync(entry, context.Hooks, recordVeto: true, cancellationToken);
            }
            else
            {
                entry.Record(enabled: false, disabledReason: null);
                await steps.Store.SaveAsync(entry, cancellationToken);
                await steps.UnloadAsync(entry);
                entry.State = ModuleState.Disabled;
            }
            await context.Journal.CheckpointAsync(journal, TransitionStep.Enabled, cancellationToken);
            await context.Journal.CommitAsync(journal, cancellationToken);

            if (veto is not null) return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' {version} installed, but it refused to be enabled: {veto}", entry);
            return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' {version} installed{(enable ? " and enabled" : ", disabled")}.", entry);
        }
        catch (Exception ex) when (ex is not SimulatedCrashException)
        {
            if (entry is not null)
            {
                if (entry.State == ModuleState.Enabled) await steps.DeactivateAsync(entry, CancellationToken.None);
                await steps.UnloadAsync(entry);
                context.Entries.Remove(entry);
            }
            await context.Journal.RollBackAsync(journal, CancellationToken.None);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            var reason = ex is ModuleLoadException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            ModuleLog.InstallFailed(context.Logger, ex, id, version, TransitionStepNames.NameOf(journal.Step));
            return new ModuleOperationResult(ModuleOperationStatus.Failed, Sentences.Join($"Module '{id}' {version} could not be installed: {reason}", "Nothing of it was left installed."), null);
        }
    }
}
