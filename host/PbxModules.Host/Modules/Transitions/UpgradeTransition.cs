using PbxModules.Host.Modules.Journaling;
using PbxModules.Host.Packages;
using PbxModules.Host.Text;
using Semver;

namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// Upgrades an installed module to a verified package's version (an older one only when a downgrade is
/// asked for), journaling each step: extracts into staging, marks the module upgrading (AGI calls that
/// arrive now wait for the new version), drains and stops the old version (work in flight finishes on
/// it; stopping it for an upgrade is not disabling it, so no disable or enable hook runs), backs up its
/// database, swaps the folders with two renames (the old one kept in the backup folder), loads and
/// migrates the new version, runs its <c>upgrade(from)</c> hook, records it and wires it in when it was
/// enabled. On any failure the old folder, its database and its <c>c_modules</c> row are put back and the
/// old version is loaded and wired in again; the result says what failed.
/// </summary>
internal sealed class UpgradeTransition(string moduleId, IModulePackage package, bool allowDowngrade) : ModuleTransition(moduleId)
{
    public override async Task<ModuleOperationResult> RunAsync(TransitionContext context, CancellationToken cancellationToken)
    {
        var id = ModuleId;
        var toVersion = package.Version.ToString();
        var entry = context.Find(id);
        if (entry is null || entry.IsRefusedDuplicate)
            return new ModuleOperationResult(ModuleOperationStatus.NotFound, $"No module '{id}' is installed, so it cannot be upgraded. Install it instead.", null) { Code = PackageRefusalCode.NotInstalled };
        if (package.Id != id)
            return TransitionContext.Refused(PackageRefusalCode.IdMismatch, $"The package is module '{package.Id}', not '{id}'. Upgrade '{id}' with a package of '{id}'.", entry);

        var fromVersion = entry.InstalledVersion ?? entry.Manifest?.Version;
        var from = ModuleCatalog.ParseVersion(fromVersion);
        var comparison = from is null ? 1 : SemVersion.ComparePrecedence(package.Version, from);
        if (comparison == 0)
            return TransitionContext.Refused(PackageRefusalCode.AlreadyInstalled, $"Module '{id}' is already at version {fromVersion}: there is nothing to upgrade. To install the same version again, uninstall it (its data is kept) and install the package.", entry);
        if (comparison < 0 && !allowDowngrade)
            return TransitionContext.Refused(PackageRefusalCode.Downgrade, $"Version {toVersion} of '{id}' is older than the installed {fromVersion}; a downgrade may not read the module's data. Ask for a downgrade explicitly to install it anyway (allowDowngrade: true, or pbx-modules module upgrade {id} --allow-downgrade).", entry);
        if (context.MissingDependency(package.Manifest, mustBeEnabled: entry.RecordedEnabled) is { } missing)
            return TransitionContext.Refused(PackageRefusalCode.MissingDependency, missing, entry);
        var broken = context.Entries
            .Where(e => e.State == ModuleState.Enabled && e.Manifest?.DependsOn?.TryGetValue(id, out var range) == true && !SemVersionRange.ParseNpm(range).Contains(package.Version))
            .Select(e => $"'{e.Id}' ({e.Manifest!.DependsOn![id]})")
            .ToList();
        if (broken.Count > 0)
            return TransitionContext.Refused(PackageRefusalCode.HasDependents, $"Module '{id}' {toVersion} is outside what {string.Join(", ", broken)} accept{(broken.Count == 1 ? "s" : string.Empty)}. Upgrade or disable {(broken.Count == 1 ? "it" : "them")} first.", entry);

        var steps = context.Steps;
        var records = await steps.Store.GetAllAsync(cancellationToken);
        var journal = context.Journal.Begin(TransitionStepNames.Upgrade, id, toVersion, fromVersion, entry.Folder, records.GetValueOrDefault(id));
        var (wasState, wasReason) = (entry.State, entry.Reason);
        var index = context.Entries.IndexOf(entry);
        var oldStopped = false;
        var marked = wasState == ModuleState.Enabled;
        if (marked) context.Registry.SetUpgrading(id, true);
        // Said once the module is marked, so that whoever watches the log knows from here new calls wait.
        ModuleLog.Upgrading(context.Logger, id, fromVersion ?? "?", toVersion);
        try
        {
            await context.Journal.CheckpointAsync(journal, TransitionStep.Begun, cancellationToken);
            Directory.CreateDirectory(journal.StagingFolder);
            await package.ExtractToAsync(journal.StagingFolder, cancellationToken);
            await context.Journal.CheckpointAsync(journal, TransitionStep.Staged, cancellationToken);

            oldStopped = true;
            await steps.DeactivateAndUnloadAsync(entry, reason: null, disableHook: null, cancellationToken);
            await context.Journal.CheckpointAsync(journal, TransitionStep.OldStopped, cancellationToken);
            context.Journal.BackUpData(journal);
            await context.Journal.CheckpointAsync(journal, TransitionStep.DataBackedUp, cancellationToken);
            Directory.CreateDirectory(steps.Paths.BackupDirectory);
            Directory.Move(entry.Folder, journal.OldFolderBackup!);
            Directory.Move(journal.StagingFolder, entry.Folder);
            await context.Journal.CheckpointAsync(journal, TransitionStep.Swapped, cancellationToken);

            var upgraded = ReadEntry(id, entry.Folder, package);
            upgraded.InstalledVersion = entry.InstalledVersion;
            upgraded.Record(entry.RecordedEnabled, entry.RecordedDisabledReason);
            context.Entries[index] = upgraded;
            await steps.LoadAsync(upgraded, cancellationToken);
            await context.Journal.CheckpointAsync(journal, TransitionStep.Migrated, cancellationToken);
            var hookFrom = fromVersion ?? string.Empty;
            await context.Hooks.RunAsync(upgraded.Loaded!, LifecycleHook.Upgrade, (m, c, t) => m.OnUpgradeAsync(c, hookFrom, t), cancellationToken);
            upgraded.InstalledVersion = toVersion;
            await steps.Store.SaveAsync(upgraded, cancellationToken);
            ModuleLog.Upgraded(context.Logger, id, hookFrom, toVersion);
            await context.Journal.CheckpointAsync(journal, TransitionStep.HooksRun, cancellationToken);

            if (upgraded.RecordedEnabled)
            {
                await steps.ActivateAsync(upgraded, cancellationToken);
            }
            else
            {
                await steps.UnloadAsync(upgraded);
                upgraded.State = ModuleState.Disabled;
                upgraded.Reason = upgraded.RecordedDisabledReason;
            }
            await context.Journal.CheckpointAsync(journal, TransitionStep.Enabled, cancellationToken);
            await context.Journal.CommitAsync(journal, cancellationToken);
            return TransitionContext.Result(ModuleOperationStatus.Done, $"Module '{id}' upgraded from {fromVersion} to {toVersion}.", upgraded);
        }
        catch (Exception ex) when (ex is not SimulatedCrashException)
        {
            var reason = ex is ModuleLoadException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            ModuleLog.UpgradeFailed(context.Logger, ex, id, fromVersion ?? "?", toVersion, TransitionStepNames.NameOf(journal.Step));
            var result = await RollBackAsync(context, journal, entry, index, oldStopped, wasState, wasReason, reason);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested) throw;
            return result;
        }
        finally
        {
            if (marked) context.Registry.SetUpgrading(id, false);
        }
    }

    /// <summary>A module entry for a folder just swapped in, from its manifest; refuses a folder whose manifest does not read as the package said.</summary>
    internal static ModuleEntry ReadEntry(string id, string folder, IModulePackage package)
    {
        var read = ManifestValidator.ReadFromFolder(folder);
        if (!read.IsValid) throw new ModuleLoadException($"The module.json extracted from the package is invalid: {string.Join(" ", read.Problems.Select(p => p.Message))}");
        if (read.Manifest!.Id != id || SemVersion.ComparePrecedence(read.Version!, package.Version) != 0)
            throw new ModuleLoadException($"The module.json extracted from the package is '{read.Manifest.Id}' {read.Version}, not '{id}' {package.Version}.");
        return new ModuleEntry(id, folder, read.Manifest, read.Version) { Package = ModulePackageInfo.Of(package) };
    }

    private static async Task<ModuleOperationResult> RollBackAsync(TransitionContext context, TransitionJournalRecord journal, ModuleEntry old, int index, bool oldStopped, ModuleState wasState, string? wasReason, string reason)
    {
        var steps = context.Steps;
        var current = context.Entries[index];
        if (!ReferenceEquals(current, old))
        {
            if (current.State == ModuleState.Enabled) await steps.DeactivateAsync(current, CancellationToken.None);
            await steps.UnloadAsync(current);
            context.Entries[index] = old;
        }
        await context.Journal.RollBackAsync(journal, CancellationToken.None);
        var what = $"Upgrade of '{old.Id}' from {journal.FromVersion} to {journal.ToVersion} failed: {Sentences.End(reason)}";
        if (!oldStopped)
            return TransitionContext.Result(ModuleOperationStatus.Failed, Sentences.Join(what, $"Version {journal.FromVersion} was not stopped and is unchanged."), old);

        if (wasState != ModuleState.Enabled)
        {
            old.State = wasState;
            old.Reason = wasReason;
            return TransitionContext.Result(ModuleOperationStatus.Failed, Sentences.Join(what, $"Version {journal.FromVersion} and its data were put back."), old);
        }
        try
        {
            await steps.LoadAsync(old, CancellationToken.None);
            await steps.ActivateAsync(old, CancellationToken.None);
        }
        catch (Exception ex)
        {
            await steps.FailAsync(old, $"Put back after a failed upgrade, version {journal.FromVersion} could not be started again: {ex.Message}", ex);
            return TransitionContext.Result(ModuleOperationStatus.Failed, Sentences.Join(what, $"Version {journal.FromVersion} and its data were put back, but it could not be started again: {ex.Message}"), old);
        }
        return TransitionContext.Result(ModuleOperationStatus.Failed, Sentences.Join(what, $"Version {journal.FromVersion} and its data were put back and it is serving again."), old);
    }
}
