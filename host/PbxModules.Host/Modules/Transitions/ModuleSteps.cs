using PbxModules.Host.HostData;
using PbxModules.Host.ModuleData;
using Semver;

namespace PbxModules.Host.Modules.Transitions;

/// <summary>
/// The steps transitions are made of: load a module's code, install it, upgrade it, enable it, wire it
/// in and out of the surfaces, unload it, fail it, delete its files. Each step leaves the entry in a
/// state the registry can show and persists through <see cref="ModuleStateStore.SaveAsync(ModuleEntry, CancellationToken)"/>
/// what must survive a restart. Steps run only inside a transition, under the manager's lock.
/// </summary>
internal sealed class ModuleSteps(
    ModuleLoader loader,
    ModuleDatabaseMigrator databases,
    ModuleStateStore store,
    ModuleDataPaths paths,
    IEnumerable<IModuleActivationListener> listeners,
    UnloadedModuleContexts unloaded,
    ILogger logger)
{
    // Stable: surfaces of the same order keep the order they were registered in.
    private readonly IModuleActivationListener[] _listeners = [.. listeners.OrderBy(l => l.Order)];

    /// <summary>The surfaces in the order they are wired in.</summary>
    public IReadOnlyList<IModuleActivationListener> Listeners => _listeners;

    /// <summary>The state store transitions persist through.</summary>
    public ModuleStateStore Store => store;

    /// <summary>Where modules' files live.</summary>
    public ModuleDataPaths Paths => paths;

    /// <summary>Every unloaded module's load context, held weakly (reported by /healthz).</summary>
    public UnloadedModuleContexts Unloaded => unloaded;

    /// <summary>Loads the module's code and brings its databases up to date, unless it is loaded already.</summary>
    public async Task LoadAsync(ModuleEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Loaded is not null) return;
        entry.Loaded = loader.Load(entry.Manifest!, entry.Folder);
        ModuleLog.Loaded(logger, entry.Id, entry.Manifest!.Version!, entry.Loaded.Contributions.Count);
        await databases.MigrateAsync(entry.Loaded, cancellationToken);
    }

    /// <summary>
    /// Runs the upgrade hook when the folder holds a newer version than the one installed, and records
    /// the new version; refuses an older one (a downgrade could not read the module's data).
    /// </summary>
    public async Task UpgradeIfDueAsync(ModuleEntry entry, LifecycleHookRunner hooks, CancellationToken cancellationToken)
    {
        var from = entry.InstalledVersion;
        if (from is null) return;
        var installed = ModuleCatalog.ParseVersion(from);
        var comparison = installed is null ? 1 : SemVersion.ComparePrecedence(entry.Version!, installed);
        if (comparison < 0)
            throw new ModuleLoadException($"Version {entry.Version} is older than the installed {from}; downgrades are refused to protect the module's data. Install {from} or newer.");
        if (comparison == 0) return;
        await hooks.RunAsync(entry.Loaded!, LifecycleHook.Upgrade, (m, c, t) => m.OnUpgradeAsync(c, from, t), cancellationToken);
        ModuleLog.Upgraded(logger, entry.Id, from, entry.Manifest!.Version!);
        entry.InstalledVersion = entry.Manifest!.Version!;
        await store.SaveAsync(entry, cancellationToken);
    }

    /// <summary>First install: loads the module, runs its install hook, then enables it unless it vetoes. Returns the veto.</summary>
    public async Task<string?> InstallAndEnableAsync(ModuleEntry entry, LifecycleHookRunner hooks, CancellationToken cancellationToken)
    {
        await LoadAsync(entry, cancellationToken);
        await hooks.RunAsync(entry.Loaded!, LifecycleHook.Install, static (m, c, t) => m.OnInstallAsync(c, t), cancellationToken);
        entry.InstalledVersion = entry.Manifest!.Version!;
        ModuleLog.Installed(logger, entry.Id, entry.InstalledVersion);
        // A veto now leaves it installed but disabled, across restarts.
        return await EnableAsync(entry, hooks, recordVeto: true, cancellationToken);
    }

    /// <summary>
    /// Asks the loaded module (before-enable may veto: it is then unloaded, Disabled, and the veto is
    /// returned), runs its enable hook, records it enabled and wires it in.
    /// </summary>
    /// <param name="entry">A loaded module.</param>
    /// <param name="hooks">The transition's hooks.</param>
    /// <param name="recordVeto">Records the module disabled when it vetoes (first install: nothing is recorded yet).</param>
    /// <param name="cancellationToken">Cancels the transition.</param>
    public async Task<string?> EnableAsync(ModuleEntry entry, LifecycleHookRunner hooks, bool recordVeto, CancellationToken cancellationToken)
    {
        var veto = await hooks.AskAsync(entry.Loaded!, LifecycleHook.BeforeEnable, static (m, c, t) => m.OnBeforeEnableAsync(c, t), cancellationToken);
        if (veto is not null)
        {
            if (recordVeto)
            {
                entry.Record(enabled: false, disabledReason: null);
                await store.SaveAsync(entry, cancellationToken);
            }
            await UnloadAsync(entry);
            entry.State = ModuleState.Disabled;
            entry.Reason = null;
            ModuleLog.Vetoed(logger, entry.Id, "enable", veto);
            return veto;
        }
        await hooks.RunAsync(entry.Loaded!, LifecycleHook.Enable, static (m, c, t) => m.OnEnableAsync(c, t), cancellationToken);
        entry.Record(enabled: true, disabledReason: null);
        await store.SaveAsync(entry, cancellationToken);
        await ActivateAsync(entry, cancellationToken);
        ModuleLog.Enabled(logger, entry.Id);
        return null;
    }

    /// <summary>Wires a loaded module into every surface, in order; when one refuses, those already wired take it out again and the failure goes on.</summary>
    public async Task ActivateAsync(ModuleEntry entry, CancellationToken cancellationToken)
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

    /// <summary>Wires a module out of every surface, in reverse order; a surface that fails is logged and the others go on.</summary>
    public async Task DeactivateAsync(ModuleEntry entry, CancellationToken cancellationToken)
    {
        for (var i = _listeners.Length - 1; i >= 0; i--)
            await SafeDisablingAsync(_listeners[i], entry.Loaded!, cancellationToken);
    }

    /// <summary>Wires the module out (when enabled), runs its disable hook (when asked), unloads it and marks it Disabled with the reason.</summary>
    public async Task DeactivateAndUnloadAsync(ModuleEntry entry, string? reason, LifecycleHookRunner? disableHook, CancellationToken cancellationToken)
    {
        if (entry.Loaded is not null)
        {
            if (entry.State == ModuleState.Enabled) await DeactivateAsync(entry, cancellationToken);
            if (disableHook is not null)
            {
                try
                {
                    await disableHook.RunAsync(entry.Loaded, LifecycleHook.Disable, static (m, c, t) => m.OnDisableAsync(c, t), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Disabling must always succeed: a broken hook is logged, not obeyed.
                    ModuleLog.HookFailed(logger, ex, entry.Id, LifecycleHookRunner.NameOf(LifecycleHook.Disable));
                }
            }
            await UnloadAsync(entry);
        }
        entry.State = ModuleState.Disabled;
        entry.Reason = reason;
    }

    /// <summary>Unloads the module's code and marks it Failed with the reason.</summary>
    public async Task FailAsync(ModuleEntry entry, string reason, Exception ex)
    {
        await UnloadAsync(entry);
        entry.Fail(reason);
        ModuleLog.FailedWithException(logger, ex, entry.Id, entry.Reason!);
    }

    /// <summary>The one place a module's code is unloaded: its container disposed, its load context let go.</summary>
    public async Task UnloadAsync(ModuleEntry entry)
    {
        var loaded = entry.Loaded;
        entry.Loaded = null;
        if (loaded is null) return;
        try
        {
            unloaded.Add(loaded.Id, await loaded.UnloadAsync());
        }
        catch (Exception ex)
        {
            ModuleLog.UnloadFailed(logger, ex, entry.Id);
        }
    }

    private async Task SafeDisablingAsync(IModuleActivationListener listener, LoadedModule module, CancellationToken cancellationToken = default)
    {
        try
        {
            await listener.OnModuleDisablingAsync(module, cancellationToken);
        }
        catch (Exception ex)
        {
            ModuleLog.ListenerFailed(logger, ex, module.Id, listener.GetType().Name);
        }
    }
}
