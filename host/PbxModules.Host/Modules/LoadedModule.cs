using System.Runtime.CompilerServices;
using McMaster.NETCore.Plugins;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>
/// A module that is loaded: its isolated load context, entry point, service container and the
/// contributions it registered. Everything that references the module's types hangs from here,
/// so that <see cref="UnloadAsync"/> can let the load context be collected.
/// </summary>
public sealed class LoadedModule
{
    private readonly WeakReference _loadContext;
    private PluginLoader? _loader;
    private ServiceProvider? _services;

    internal LoadedModule(PluginLoader loader, WeakReference loadContext, IPbxModule entryPoint, ServiceProvider services, IModuleContext context, IReadOnlyList<ModuleContribution> contributions)
    {
        _loader = loader;
        _loadContext = loadContext;
        EntryPoint = entryPoint;
        _services = services;
        Context = context;
        Contributions = contributions;
    }

    /// <summary>The module id.</summary>
    public string Id => Context.ModuleId;

    /// <summary>The module's identity and folders.</summary>
    public IModuleContext Context { get; }

    /// <summary>The module's <see cref="IPbxModule"/> instance.</summary>
    public IPbxModule EntryPoint { get; private set; }

    /// <summary>What the module contributes to each surface, in registration order (the SDK keeps the record type internal to the host).</summary>
    internal IReadOnlyList<ModuleContribution> Contributions { get; private set; }

    /// <summary>The module's own service container.</summary>
    public IServiceProvider Services => _services ?? throw new ObjectDisposedException(nameof(LoadedModule), $"Module '{Id}' has been unloaded.");

    /// <summary>
    /// Disposes the module's container, drops every reference to its types and unloads its load
    /// context. Returns a weak reference to the context so that callers (and tests) can see
    /// whether the runtime really collected it.
    /// </summary>
    public async ValueTask<WeakReference> UnloadAsync()
    {
        var services = _services;
        _services = null;
        if (services is not null) await services.DisposeAsync();
        var weak = WeakenAndUnload();
        EntryPoint = null!;
        Contributions = [];
        return weak;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference WeakenAndUnload()
    {
        var loader = _loader;
        _loader = null;
        loader?.Dispose();
        return _loadContext;
    }
}
