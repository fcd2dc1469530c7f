using PbxModules.Host.Modules;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Tests.Packages.Installing;

/// <summary>
/// The manager's install and upgrade for the installer's tests (the manager's own tests cover the
/// real ones): records each call in order, checks the package was not closed before it, and answers
/// Done, or Failed for the ids in <see cref="FailingIds"/>. Installed modules appear in <see cref="Registry"/>
/// when it is set, as the manager publishes them.
/// </summary>
public sealed class TestInstallTransitions(TestModuleRegistry? registry = null) : IModuleInstallTransitions
{
    private readonly List<string> _calls = [];

    /// <summary>"install a@1.0.0 enable=True", "upgrade a@2.0.0 allowDowngrade=False", in order.</summary>
    public IReadOnlyList<string> Calls { get { lock (_calls) return [.. _calls]; } }

    /// <summary>Ids whose transition fails (as a throwing install hook would).</summary>
    public HashSet<string> FailingIds { get; } = new(StringComparer.Ordinal);

    public TestModuleRegistry? Registry => registry;

    public Task<ModuleOperationResult> InstallAsync(IModulePackage package, bool enable, CancellationToken cancellationToken)
        => Run($"install {package.Id}@{package.Version} enable={enable}", package, enable ? ModuleState.Enabled : ModuleState.Disabled);

    public Task<ModuleOperationResult> UpgradeAsync(string id, IModulePackage package, bool allowDowngrade, CancellationToken cancellationToken)
        => Run($"upgrade {id}@{package.Version} allowDowngrade={allowDowngrade}", package, ModuleState.Enabled);

    private Task<ModuleOperationResult> Run(string call, IModulePackage package, ModuleState state)
    {
        lock (_calls) _calls.Add(call);
        if (package is TestPackage { Disposed: true }) throw new InvalidOperationException($"{call}: the package was closed before its transition.");
        if (FailingIds.Contains(package.Id))
            return Task.FromResult(new ModuleOperationResult(ModuleOperationStatus.Failed, $"Module '{package.Id}' could not be installed: its install hook threw.", null));
        var info = TestModuleRegistry.Info(package.Id, package.Version.ToString(), state);
        registry?.Set(info);
        return Task.FromResult(new ModuleOperationResult(ModuleOperationStatus.Done, $"Module '{package.Id}' {package.Version} installed.", info));
    }
}

/// <summary>Installed modules for the installer's tests: ModuleInfo snapshots only (no loaded code).</summary>
public sealed class TestModuleRegistry : IModuleRegistry
{
    private readonly List<ModuleInfo> _modules = [];

    public static ModuleInfo Info(string id, string version, ModuleState state = ModuleState.Enabled)
        => new(id, id, version, version, state, state == ModuleState.Failed ? "it failed in a test" : null, null, null, id);

    public TestModuleRegistry Set(ModuleInfo module)
    {
        lock (_modules)
        {
            _modules.RemoveAll(m => m.Id == module.Id);
            _modules.Add(module);
        }
        return this;
    }

    public IReadOnlyList<ModuleInfo> GetModules() { lock (_modules) return [.. _modules]; }

    public ModuleInfo? GetModule(string id) { lock (_modules) return _modules.FirstOrDefault(m => m.Id == id); }

    public IReadOnlyList<LoadedModule> EnabledModules => [];

    public bool IsUpgrading(string id) => false;

    public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => new Microsoft.Extensions.Primitives.CancellationChangeToken(CancellationToken.None);
}
