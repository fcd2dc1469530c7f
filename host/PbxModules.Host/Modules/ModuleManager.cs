using Microsoft.Extensions.Options;
using PbxModules.Host.HostData;
using PbxModules.Host.ModuleData;
using PbxModules.Host.Modules.Journaling;
using PbxModules.Host.Modules.Transitions;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Modules;

/// <summary>
/// Owns the installed modules: discovers them at start-up and runs every change of a module's state
/// as a <see cref="ModuleTransition"/> (start, enable, disable, uninstall), one at a time under one
/// lock, with its lifecycle hooks run once per transition and its state persisted in <c>c_modules</c>.
/// At the end of each transition it publishes what the surfaces see to the <see cref="IModuleRegistry"/>;
/// the surfaces themselves (<see cref="IModuleActivationListener"/>) are told when to wire a module in or out.
/// </summary>
/// <remarks>
/// A module that fails in any way is recorded as <see cref="ModuleState.Failed"/> with the reason;
/// no module failure ever escapes to stop the daemon or another module. Readers of the registry get
/// immutable snapshots and never wait.
/// </remarks>
public sealed class ModuleManager : IModuleInstallTransitions, IAsyncDisposable
{
    private readonly TransitionJournal _journal;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ModuleSteps _steps;
    private readonly ModuleStateStore _store;
    private readonly ModuleRegistry _registry;
    private readonly IOptions<ModuleHostOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ModuleManager> _logger;
    private List<ModuleEntry> _entries = [];
    private bool _started;

    /// <summary>Creates the manager; the listeners are wired in by their <see cref="IModuleActivationListener.Order"/>.</summary>
    public ModuleManager(
        ModuleLoader loader,
        ModuleStateStore store,
        ModuleDatabaseMigrator databases,
        ModuleDataPaths paths,
        ModuleRegistry registry,
        IOptions<ModuleHostOptions> options,
        TimeProvider time,
        IEnumerable<IModuleActivationListener> listeners,
        UnloadedModuleContexts unloadedContexts,
        TransitionJournal journal,
        ILogger<ModuleManager> logger)
    {
        _journal = journal;
        _steps = new ModuleSteps(loader, databases, store, paths, listeners, unloadedContexts, logger);
        _store = store;
        _registry = registry;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>What the manager last published.</summary>
    public IModuleRegistry Registry => _registry;

    /// <summary>The surfaces, in the order a module is wired into them.</summary>
    public IReadOnlyList<IModuleActivationListener> Listeners => _steps.Listeners;


    /// <summary>Discovers, installs, upgrades and loads modules. Never throws for a module's sake.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var modulesDirectory = _steps.Paths.ModulesDirectory;
            Directory.CreateDirectory(modulesDirectory);
            // Before discovery: an install or upgrade a crash interrupted is finished or undone first,
            // so that what is discovered is either the old version with its data or the new one, whole.
            await _journal.RecoverAsync(cancellationToken);
            var records = await _store.GetAllAsync(cancellationToken);
            _entries = ModuleCatalog.Discover(modulesDirectory, records.ToDictionary(r => r.Key, r => r.Value.Folder, StringComparer.Ordinal));
            ModuleLog.Discovered(_logger, _entries.Count, modulesDirectory);

            var context = NewContext();
            foreach (var entry in _entries.ToList())
            {
                if (entry.IsRefusedDuplicate)
                {
                    ModuleLog.DuplicateRefused(_logger, entry.Folder, entry.ClaimedId, entry.Id, entry.Reason!);
                    continue;
                }
                if (records.TryGetValue(entry.Id, out var record))
                {
                    entry.InstalledVersion = string.IsNullOrEmpty(record.InstalledVersion) ? null : record.InstalledVersion;
                    entry.Record(record.Enabled, record.DisabledReason);
                    entry.Package = record.ToPackageInfo();
                    // First start since folders were recorded, or the module was moved to another
                    // folder: from now on this folder keeps the id against any newcomer.
                    if (record.Folder != entry.FolderName) await _store.SaveAsync(entry, cancellationToken);
                }
                await new StartTransition(entry.Id).RunAsync(context, cancellationToken);
            }
            _started = true;
            Publish();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Enables a module (<see cref="EnableTransition"/>).</summary>
    public Task<ModuleOperationResult> EnableAsync(string id, CancellationToken cancellationToken)
        => RunAsync(new EnableTransition(id), cancellationToken);

    /// <summary>Disables a module (<see cref="DisableTransition"/>).</summary>
    /// <param name="id">The module id.</param>
    /// <param name="automaticReason">When the host disables a module by itself: the reason to record. No veto then.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    public Task<ModuleOperationResult> DisableAsync(string id, string? automaticReason, CancellationToken cancellationToken)
        => RunAsync(new DisableTransition(id, automaticReason), cancellationToken);

    /// <summary>Uninstalls a module (<see cref="UninstallTransition"/>); <paramref name="keepData"/> keeps its database and files.</summary>
    public Task<ModuleOperationResult> UninstallAsync(string id, bool keepData, CancellationToken cancellationToken)
        => RunAsync(new UninstallTransition(id, keepData), cancellationToken);

    /// <inheritdoc/>
    public Task<ModuleOperationResult> InstallAsync(IModulePackage package, bool enable, CancellationToken cancellationToken)
        => RunAsync(new InstallTransition(package, enable), cancellationToken);

    /// <inheritdoc/>
    public Task<ModuleOperationResult> UpgradeAsync(string id, IModulePackage package, bool allowDowngrade, CancellationToken cancellationToken)
        => RunAsync(new UpgradeTransition(id, package, allowDowngrade), cancellationToken);

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
                if (entry.State == ModuleState.Enabled) await _steps.DeactivateAsync(entry, cancellationToken);
                await _steps.UnloadAsync(entry);
            }
            // Listed as they are, but nothing of them is loaded any more.
            _registry.Publish(_registry.GetModules(), []);
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

    private async Task<ModuleOperationResult> RunAsync(ModuleTransition transition, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await transition.RunAsync(NewContext(), cancellationToken);
        }
        finally
        {
            Publish();
            _gate.Release();
        }
    }

    private TransitionContext NewContext() => new(_entries, _steps, new LifecycleHookRunner(_options.Value.LifecycleTimeout, _time), _logger, _journal, _registry);

    private void Publish() => _registry.Publish(
        [.. _entries.Select(e => e.ToInfo())],
        [.. _entries.Where(e => e.State == ModuleState.Enabled && e.Loaded is not null).Select(e => e.Loaded!)]);
}
