using Microsoft.Extensions.Primitives;

namespace PbxModules.Host.Modules;

/// <summary>The <see cref="IModuleRegistry"/> that <see cref="ModuleManager"/> writes; nothing else can publish.</summary>
public sealed class ModuleRegistry : IModuleRegistry
{
    private volatile Snapshot _current = new([], []);
    private volatile System.Collections.Immutable.ImmutableHashSet<string> _upgrading = System.Collections.Immutable.ImmutableHashSet.Create<string>(StringComparer.Ordinal);
    private CancellationTokenSource _changed = new();

    public IReadOnlyList<ModuleInfo> GetModules() => _current.Modules;

    public ModuleInfo? GetModule(string id) => _current.Modules.FirstOrDefault(m => m.Id == id);

    public IReadOnlyList<LoadedModule> EnabledModules => _current.Enabled;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public bool IsUpgrading(string id) => _upgrading.Contains(id);

    /// <summary>Marks a module as being upgraded, or no longer; readers are told through the change token.</summary>
    internal void SetUpgrading(string id, bool upgrading)
    {
        _upgrading = upgrading ? _upgrading.Add(id) : _upgrading.Remove(id);
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }

    /// <summary>Replaces the snapshot and fires the change token. Called by the manager, under its lock.</summary>
    internal void Publish(IReadOnlyList<ModuleInfo> modules, IReadOnlyList<LoadedModule> enabled)
    {
        _current = new Snapshot(modules, enabled);
        // Not disposed: a source without a timer holds nothing, and a reader may still hold its token.
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }

    private sealed record Snapshot(IReadOnlyList<ModuleInfo> Modules, IReadOnlyList<LoadedModule> Enabled);
}
