using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Data;
using PbxModules.Host.Text;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Modules;

/// <summary>
/// Owns the installed modules: loads them at start-up in dependency order, runs their lifecycle
/// hooks once per transition (install, upgrade, enable, disable, uninstall), enables and disables
/// them at runtime with the state persisted in <c>c_modules</c>, and tells the host's surfaces
/// (<see cref="IModuleActivationListener"/>) when to wire a module in or out.
/// </summary>
/// <remarks>
/// A module that fails in any way is recorded as <see cref="ModuleState.Failed"/> with the reason;
/// no module failure ever escapes to stop the daemon or another module. Transitions are serialised
/// by one lock; readers get immutable snapshots and never wait.
/// </remarks>
public sealed partial class ModuleManager(
    ModuleLoader loader,
    ModuleStateStore store,
    ModuleDatabaseMigrator databases,
    IOptions<PathsOptions> paths,
    IOptions<ModuleHostOptions> options,
    IEnumerable<IModuleActivationListener> listeners,
    UnloadedModuleContexts unloadedContexts,
    ILogger<ModuleManager> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IModuleActivationListener[] _listeners = [.. listeners];
    private List<ModuleEntry> _entries = [];
    private volatile IReadOnlyList<ModuleInfo> _snapshot = [];
    private volatile IReadOnlyList<LoadedModule> _enabled = [];
    private bool _started;

    /// <summary>Every installed module, in load order.</summary>
    public IReadOnlyList<ModuleInfo> GetModules() => _snapshot;

    /// <summary>One module by id, or null.</summary>
    public ModuleInfo? GetModule(string id) => _snapshot.FirstOrDefault(m => m.Id == id);

    /// <summary>The modules that are enabled and loaded, in load order.</summary>
    public IReadOnlyList<LoadedModule> EnabledModules => _enabled;

    /// <summary>Discovers, installs, upgrades and loads modules. Never throws for a module's sake.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var modulesDirectory = paths.Value.ModulesFullPath;
            Directory.CreateDirectory(modulesDirectory);
            var records = await store.GetAllAsync(cancellationToken);
            _entries = ModuleCatalog.Discover(modulesDirectory, records.ToDictionary(r => r.Key, r => r.Value.Folder, StringComparer.Ordinal));
            LogDiscovered(logger, _entries.Count, modulesDirectory);

            foreach (var entry in _entries)
            {
                if (entry.IsRefusedDuplicate)
                {
                    LogDuplicateRefused(logger, entry.Folder, entry.ClaimedId, entry.Id, entry.Reason!);
                    continue;
                }
                if (records.TryGetValue(entry.Id, out var record))
                {
                    entry.InstalledVersion = NullIfNeverInstalled(record.InstalledVersion);
                    if (record.Folder != entry.FolderName)
                    {
                        // First start since folders were recorded, or the module was moved to another
                        // folder: from now on this folder keeps the id against any newcomer.
                        record.Folder = entry.FolderName;
                        await store.SaveAsync(record, cancellationToken);
                    }
                }
                if (entry.State == ModuleState.Failed)
                {
                    LogModuleFailed(logger, entry.Id, entry.Reason!);
                    continue;
                }
                try
                {
                    await StartEntryAsync(entry, record, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    await FailAsync(entry, ex is ModuleLoadException ? ex.Message : $"Start-up failed: {ex.GetType().Name}: {ex.Message}", ex);
                }
            }
            _started = true;
            Publish();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StartEntryAsync(ModuleEntry entry, ModuleRecord? record, CancellationToken cancellationToken)
    {
        if (record is not null && !record.Enabled)
        {
            entry.State = ModuleState.Disabled;
            entry.Reason = record.DisabledReason;
            return;
        }

        var blocked = entry.DependsOn.FirstOrDefault(d => Find(d)?.State != ModuleState.Enabled);
        if (blocked is not null)
        {
            entry.Fail(Sentences.Join($"Module '{blocked}', which it depends on, is not running: {Find(blocked)?.Reason ?? "it is disabled"}", $"Fix or enable '{blocked}' first."));
            LogModuleFailed(logger, entry.Id, entry.Reason!);
            return;
        }

        if (record is null || NullIfNeverInstalled(record.InstalledVersion) is null)
        {
            // First sight of the module: install it, and enable it unless it vetoes.
            await InstallAndEnableAsync(entry, cancellationToken);
            return;
        }

        await LoadAsync(entry, record, cancellationToken);
        await ActivateAsync(entry, cancellationToken);
    }

    /// <summary>Enables a module: loads it, asks it (before-enable may veto), runs install/upgrade if due and enable, then wires it in.</summary>
    public async Task<ModuleOperationResult> EnableAsync(string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Find(id);
            if (entry is null) return NotFound(id);
            if (entry.State == ModuleState.Enabled) return Result(ModuleOperationStatus.Done, $"Module '{id}' is already enabled.", entry);
            if (entry.ManifestError is not null) return Result(ModuleOperationStatus.Refused, $"Module '{id}' cannot be enabled: {entry.ManifestError}", entry);
            var notRunning = entry.DependsOn.FirstOrDefault(d => Find(d)?.State != ModuleState.Enabled);
            if (notRunning is not null) return Result(ModuleOperationStatus.Refused, $"Module '{id}' depends on '{notRunning}', which is not enabled. Enable '{notRunning}' first.", entry);

            var records = await store.GetAllAsync(cancellationToken);
            try
            {
                if (!records.TryGetValue(id, out var record) || NullIfNeverInstalled(record.InstalledVersion) is null)
                {
                    var installed = await InstallAndEnableAsync(entry, cancellationToken);
                    return installed is null
                        ? Result(ModuleOperationStatus.Done, $"Module '{id}' installed and enabled.", entry)
                        : Result(ModuleOperationStatus.Refused, $"Module '{id}' refused to be enabled: {installed}", entry);
                }

                await LoadAsync(entry, record, cancellationToken);
                if (record.Enabled)
                {
                    // Enabled all along, it only failed to load or start: bring it back as a start-up does.
                    // Its enable hook already ran for this transition and no disable hook followed.
                    await ActivateAsync(entry, cancellationToken);
                    LogEnabled(logger, id);
                    return Result(ModuleOperationStatus.Done, $"Module '{id}' enabled.", entry);
                }
                var veto = await AskAsync(entry, static (m, c, t) => m.OnBeforeEnableAsync(c, t), "before-enable", cancellationToken);
                if (veto is not null)
                {
                    await UnloadAsync(entry);
                    entry.State = ModuleState.Disabled;
                    entry.Reason = null;
                    LogVetoed(logger, id, "enable", veto);
                    return Result(ModuleOperationStatus.Refused, $"Module '{id}' refused to be enabled: {veto}", entry);
                }
                await RunHookAsync(entry, static (m, c, t) => m.OnEnableAsync(c, t), "enable", cancellationToken);
                await store.SaveAsync(new ModuleRecord { Id = id, InstalledVersion = entry.InstalledVersion ?? entry.Manifest!.Version!, Enabled = true, Folder = entry.FolderName }, cancellationToken);
                await ActivateAsync(entry, cancellationToken);
                LogEnabled(logger, id);
                return Result(ModuleOperationStatus.Done, $"Module '{id}' enabled.", entry);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await FailAsync(entry, ex is ModuleLoadException ? ex.Message : $"Enable failed: {ex.GetType().Name}: {ex.Message}", ex);
                return Result(ModuleOperationStatus.Failed, $"Module '{id}' could not be enabled: {entry.Reason}", entry);
            }
        }
        finally
        {
            Publish();
            _gate.Release();
        }
    }

    /// <summary>
    /// Disables a module: asks it (before-disable may veto, unless <paramref name="automaticReason"/> is
    /// given), wires it out (draining work in flight), runs its disable hook, persists the state and
    /// unloads its code.
    /// </summary>
    /// <param name="id">The module id.</param>
    /// <param name="automaticReason">When the host disables a module by itself (crash-loop breaker): the reason to record. No veto then.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    public async Task<ModuleOperationResult> DisableAsync(string id, string? automaticReason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Find(id);
            if (entry is null) return NotFound(id);
            if (entry.State == ModuleState.Disabled) return Result(ModuleOperationStatus.Done, $"Module '{id}' is already disabled.", entry);
            // Nothing of a refused duplicate runs; it stays listed Failed with the reason until its folder goes.
            if (entry.IsRefusedDuplicate) return Result(ModuleOperationStatus.Done, $"Module folder '{entry.Folder}' is a refused duplicate of '{entry.ClaimedId}': nothing of it runs.", entry);

            var dependents = _entries.Where(e => e.State == ModuleState.Enabled && e.DependsOn.Contains(id)).Select(e => e.Id).ToList();
            if (dependents.Count > 0 && automaticReason is null)
                return Result(ModuleOperationStatus.Refused, $"Module '{id}' is needed by {string.Join(", ", dependents.Select(d => $"'{d}'"))}. Disable {(dependents.Count == 1 ? "it" : "them")} first.", entry);

            if (entry.State == ModuleState.Enabled && automaticReason is null)
            {
                string? veto;
                try
                {
                    veto = await AskAsync(entry, static (m, c, t) => m.OnBeforeDisableAsync(c, t), "before-disable", cancellationToken);
                }
                catch (ModuleLoadException ex)
                {
                    // Disabling must always succeed: a broken question is logged, not taken as a veto.
                    LogHookFailed(logger, ex, id, "before-disable");
                    veto = null;
                }
                if (veto is not null)
                {
                    LogVetoed(logger, id, "disable", veto);
                    return Result(ModuleOperationStatus.Refused, $"Module '{id}' refused to be disabled: {veto}", entry);
                }
            }

            // Dependents go first when the host itself pulls a module out.
            foreach (var dependent in dependents)
            {
                var dependentEntry = Find(dependent)!;
                var dependentReason = $"Module '{id}', which it depends on, was disabled: {automaticReason}";
                await DeactivateAndUnloadAsync(dependentEntry, dependentReason, runHook: true, cancellationToken);
                // Its disable hook ran: remember it disabled, or the next start would bring it back without an enable hook.
                await store.SaveAsync(new ModuleRecord { Id = dependent, InstalledVersion = dependentEntry.InstalledVersion ?? string.Empty, Enabled = false, DisabledReason = dependentReason, Folder = dependentEntry.FolderName }, cancellationToken);
            }

            await DeactivateAndUnloadAsync(entry, automaticReason, runHook: entry.State == ModuleState.Enabled, cancellationToken);
            // A module that never got as far as its install hook is remembered as disabled but not installed
            // (empty version), so that enabling it later runs the install hook instead of skipping it.
            if (entry.InstalledVersion is not null || entry.ManifestError is null)
                await store.SaveAsync(new ModuleRecord { Id = id, InstalledVersion = entry.InstalledVersion ?? string.Empty, Enabled = false, DisabledReason = automaticReason, Folder = entry.FolderName }, cancellationToken);
            if (automaticReason is null) LogDisabled(logger, id);
            else LogDisabledAutomatically(logger, id, automaticReason);
            return Result(ModuleOperationStatus.Done, $"Module '{id}' disabled.", entry);
        }
        finally
        {
            Publish();
            _gate.Release();
        }
    }

    /// <summary>
    /// Uninstalls a module: disables it (a veto stops here), runs its uninstall hook, forgets its
    /// state, deletes its data unless <paramref name="keepData"/>, and deletes its folder.
    /// </summary>
    public async Task<ModuleOperationResult> UninstallAsync(string id, bool keepData, CancellationToken cancellationToken)
    {
        var disabled = await DisableAsync(id, null, cancellationToken);
        if (disabled.Status != ModuleOperationStatus.Done) return disabled;

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var entry = Find(id);
            if (entry is null) return NotFound(id);
            if (entry.ManifestError is null && entry.InstalledVersion is not null)
            {
                try
                {
                    var record = (await store.GetAllAsync(cancellationToken)).GetValueOrDefault(id);
                    await LoadAsync(entry, record, cancellationToken, upgrade: false);
                    await RunHookAsync(entry, (m, c, t) => m.OnUninstallAsync(c, keepData, t), "uninstall", cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // An uninstall must not be blocked by a broken module: say so and go on removing it.
                    LogUninstallHookFailed(logger, ex, id);
                }
                finally
                {
                    await UnloadAsync(entry);
                }
            }

            await store.DeleteAsync(id, cancellationToken);
            // The module's pooled connections were closed when its container was disposed
            // (SqliteModuleDatabase clears its own pool); clearing every pool here would also close
            // other modules' connections.
            var dataDirectory = Path.Combine(paths.Value.DataFullPath, "modules", id);
            // A refused duplicate never had data of its own: the data under its claimed id is the installed module's.
            if (!keepData && !entry.IsRefusedDuplicate)
            {
                DeleteIfExists(dataDirectory);
                // Exact names, not a pattern: an id is not a glob (a folder listed under its name could hold '*').
                foreach (var suffix in (string[])[".db", ".db-wal", ".db-shm", ".db-journal"])
                {
                    var file = Path.Combine(Path.GetDirectoryName(dataDirectory)!, id + suffix);
                    if (File.Exists(file)) File.Delete(file);
                }
            }
            if (IsInside(entry.Folder, paths.Value.ModulesFullPath)) DeleteIfExists(entry.Folder);
            _entries.Remove(entry);
            LogUninstalled(logger, id, keepData);
            return new ModuleOperationResult(ModuleOperationStatus.Done, $"Module '{id}' uninstalled{(keepData ? "; its data was kept" : string.Empty)}.", null);
        }
        finally
        {
            Publish();
            _gate.Release();
        }
    }

    /// <summary>Wires every module out and disposes their containers at shutdown. No lifecycle hook runs: stopping the daemon is not disabling.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var i = _entries.Count - 1; i >= 0; i--)
            {
                var entry = _entries[i];
                if (entry.Loaded is null) continue;
                if (entry.State == ModuleState.Enabled) await DeactivateAsync(entry, cancellationToken);
                await UnloadAsync(entry);
            }
            _enabled = [];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_started) await StopAsync(CancellationToken.None);
        // The lock is not disposed: the host may still call StopAsync after the container disposed
        // this singleton (seen when a test host shuts down), and a SemaphoreSlim whose wait handle is
        // never used holds nothing that needs disposing.
    }

    private async Task<string?> InstallAndEnableAsync(ModuleEntry entry, CancellationToken cancellationToken)
    {
        await LoadAsync(entry, null, cancellationToken, upgrade: false);
        await RunHookAsync(entry, static (m, c, t) => m.OnInstallAsync(c, t), "install", cancellationToken);
        entry.InstalledVersion = entry.Manifest!.Version!;
        LogInstalled(logger, entry.Id, entry.InstalledVersion);

        var veto = await AskAsync(entry, static (m, c, t) => m.OnBeforeEnableAsync(c, t), "before-enable", cancellationToken);
        if (veto is not null)
        {
            await store.SaveAsync(new ModuleRecord { Id = entry.Id, InstalledVersion = entry.InstalledVersion, Enabled = false, Folder = entry.FolderName }, cancellationToken);
            await UnloadAsync(entry);
            entry.State = ModuleState.Disabled;
            entry.Reason = null;
            LogVetoed(logger, entry.Id, "enable", veto);
            return veto;
        }
        await RunHookAsync(entry, static (m, c, t) => m.OnEnableAsync(c, t), "enable", cancellationToken);
        await store.SaveAsync(new ModuleRecord { Id = entry.Id, InstalledVersion = entry.InstalledVersion, Enabled = true, Folder = entry.FolderName }, cancellationToken);
        await ActivateAsync(entry, cancellationToken);
        LogEnabled(logger, entry.Id);
        return null;
    }

    private async Task LoadAsync(ModuleEntry entry, ModuleRecord? record, CancellationToken cancellationToken, bool upgrade = true)
    {
        if (entry.Loaded is null)
        {
            entry.Loaded = loader.Load(entry.Manifest!, entry.Folder);
            LogLoaded(logger, entry.Id, entry.Manifest!.Version!, entry.Loaded.Contributions.Count);
            await databases.MigrateAsync(entry.Loaded, cancellationToken);
        }
        if (!upgrade || record is null) return;

        var installed = ModuleCatalog.ParseVersion(record.InstalledVersion);
        var comparison = installed is null ? 1 : SemVersion.ComparePrecedence(entry.Version!, installed);
        if (comparison < 0)
            throw new ModuleLoadException($"Version {entry.Version} is older than the installed {record.InstalledVersion}; downgrades are refused to protect the module's data. Install {record.InstalledVersion} or newer.");
        if (comparison > 0)
        {
            await RunHookAsync(entry, (m, c, t) => m.OnUpgradeAsync(c, record.InstalledVersion, t), "upgrade", cancellationToken);
            LogUpgraded(logger, entry.Id, record.InstalledVersion, entry.Manifest!.Version!);
            entry.InstalledVersion = entry.Manifest!.Version!;
            await store.SaveAsync(new ModuleRecord { Id = entry.Id, InstalledVersion = entry.InstalledVersion, Enabled = record.Enabled, DisabledReason = record.DisabledReason, Folder = entry.FolderName }, cancellationToken);
        }
    }

    private async Task ActivateAsync(ModuleEntry entry, CancellationToken cancellationToken)
    {
        var module = entry.Loaded!;
        var activated = new List<IModuleActivationListener>();
        try
        {
            foreach (var listener in _listeners)
            {
                await listener.OnModuleEnabledAsync(module, cancellationToken);
                activated.Add(listener);
            }
        }
        catch
        {
            for (var i = activated.Count - 1; i >= 0; i--)
                await SafeDisablingAsync(activated[i], module);
            throw;
        }
        entry.State = ModuleState.Enabled;
        entry.Reason = null;
    }

    private async Task DeactivateAsync(ModuleEntry entry, CancellationToken cancellationToken)
    {
        for (var i = _listeners.Length - 1; i >= 0; i--)
            await SafeDisablingAsync(_listeners[i], entry.Loaded!, cancellationToken);
    }

    private async Task DeactivateAndUnloadAsync(ModuleEntry entry, string? reason, bool runHook, CancellationToken cancellationToken)
    {
        if (entry.Loaded is not null)
        {
            if (entry.State == ModuleState.Enabled) await DeactivateAsync(entry, cancellationToken);
            if (runHook)
            {
                try
                {
                    await RunHookAsync(entry, static (m, c, t) => m.OnDisableAsync(c, t), "disable", cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Disabling must always succeed: a broken hook is logged, not obeyed.
                    LogHookFailed(logger, ex, entry.Id, "disable");
                }
            }
            await UnloadAsync(entry);
        }
        entry.State = ModuleState.Disabled;
        entry.Reason = reason;
    }

    private async Task SafeDisablingAsync(IModuleActivationListener listener, LoadedModule module, CancellationToken cancellationToken = default)
    {
        try
        {
            await listener.OnModuleDisablingAsync(module, cancellationToken);
        }
        catch (Exception ex)
        {
            LogListenerFailed(logger, ex, module.Id, listener.GetType().Name);
        }
    }

    private async Task<string?> AskAsync(ModuleEntry entry, Func<IPbxModule, IModuleLifecycleContext, CancellationToken, Task<LifecycleDecision>> question, string hook, CancellationToken cancellationToken)
    {
        LifecycleDecision? decision = null;
        await RunHookAsync(entry, async (m, c, t) => decision = await question(m, c, t), hook, cancellationToken);
        return decision is { IsAllowed: false } ? decision.Reason : null;
    }

    private async Task RunHookAsync(ModuleEntry entry, Func<IPbxModule, IModuleLifecycleContext, CancellationToken, Task> hook, string name, CancellationToken cancellationToken)
    {
        var module = entry.Loaded!;
        var timeout = options.Value.LifecycleTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var context = new ModuleLifecycleContext(module.Context, module.Services, module.Context.LoggerFactory.CreateLogger("Lifecycle"));
        try
        {
            await hook(module.EntryPoint, context, cts.Token).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new ModuleLoadException($"The {name} hook did not finish within {timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModuleLoadException($"The {name} hook did not finish within {timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (Exception ex) when (ex is not ModuleLoadException and not OperationCanceledException)
        {
            throw new ModuleLoadException($"The {name} hook threw {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            // The rest of the transition (unloading included) must not run on a thread the module
            // owns, which completed the hook's task: that thread could wait on what we dispose.
            await Task.Yield();
        }
    }

    private async Task FailAsync(ModuleEntry entry, string reason, Exception ex)
    {
        await UnloadAsync(entry);
        entry.Fail(reason);
        LogModuleFailedWithException(logger, ex, entry.Id, entry.Reason!);
    }

    private async Task UnloadAsync(ModuleEntry entry)
    {
        var loaded = entry.Loaded;
        entry.Loaded = null;
        if (loaded is null) return;
        try
        {
            unloadedContexts.Add(loaded.Id, await loaded.UnloadAsync());
        }
        catch (Exception ex)
        {
            LogUnloadFailed(logger, ex, entry.Id);
        }
    }

    /// <summary>The entry with that id; ids are unique (<see cref="ModuleCatalog"/> lists a refused duplicate under an id of its own).</summary>
    private ModuleEntry? Find(string id) => _entries.FirstOrDefault(e => e.Id == id);

    private void Publish()
    {
        _snapshot = [.. _entries.Select(e => e.ToInfo())];
        _enabled = [.. _entries.Where(e => e.State == ModuleState.Enabled && e.Loaded is not null).Select(e => e.Loaded!)];
    }

    /// <summary>The installed version of a record, or null when the module is known (disabled) but was never installed.</summary>
    private static string? NullIfNeverInstalled(string installedVersion) => string.IsNullOrEmpty(installedVersion) ? null : installedVersion;

    private static ModuleOperationResult NotFound(string id) => new(ModuleOperationStatus.NotFound, $"No module '{id}' is installed.", null);

    private static ModuleOperationResult Result(ModuleOperationStatus status, string message, ModuleEntry entry) => new(status, message, entry.ToInfo());

    private static bool IsInside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} module folder(s) in {Directory}")]
    private static partial void LogDiscovered(ILogger logger, int count, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} {Version} loaded with {Contributions} contribution(s)")]
    private static partial void LogLoaded(ILogger logger, string moduleId, string version, int contributions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} {Version} installed")]
    private static partial void LogInstalled(ILogger logger, string moduleId, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} upgraded from {FromVersion} to {ToVersion}")]
    private static partial void LogUpgraded(ILogger logger, string moduleId, string fromVersion, string toVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} enabled")]
    private static partial void LogEnabled(ILogger logger, string moduleId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} disabled")]
    private static partial void LogDisabled(ILogger logger, string moduleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId} disabled by the host: {Reason}")]
    private static partial void LogDisabledAutomatically(ILogger logger, string moduleId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} uninstalled (data kept: {KeepData})")]
    private static partial void LogUninstalled(ILogger logger, string moduleId, bool keepData);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId} refused to {Transition}: {Reason}")]
    private static partial void LogVetoed(ILogger logger, string moduleId, string transition, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Module {ModuleId} failed: {Reason} The host and the other modules keep running.")]
    private static partial void LogModuleFailed(ILogger logger, string moduleId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Module {ModuleId} failed: {Reason} The host and the other modules keep running.")]
    private static partial void LogModuleFailedWithException(ILogger logger, Exception exception, string moduleId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Module folder {Folder} was refused: it claims id {ClaimedId}, which another folder keeps. It is listed as {ListedId}, Failed. {Reason}")]
    private static partial void LogDuplicateRefused(ILogger logger, string folder, string claimedId, string listedId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Hook} hook of module {ModuleId} failed; going on without it")]
    private static partial void LogHookFailed(ILogger logger, Exception exception, string moduleId, string hook);

    [LoggerMessage(Level = LogLevel.Error, Message = "The uninstall hook of module {ModuleId} failed; removing the module anyway")]
    private static partial void LogUninstallHookFailed(ILogger logger, Exception exception, string moduleId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Listener} failed to wire out module {ModuleId}")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string moduleId, string listener);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unloading module {ModuleId} failed")]
    private static partial void LogUnloadFailed(ILogger logger, Exception exception, string moduleId);
}
