using Microsoft.Extensions.Primitives;

namespace PbxModules.Host.Modules;

/// <summary>
/// The installed modules as the host's surfaces see them: read-only snapshots that the
/// <see cref="ModuleManager"/> publishes at the end of every transition. Readers never wait on a
/// transition and never see one half done.
/// </summary>
public interface IModuleRegistry
{
    /// <summary>Every installed module, in load order.</summary>
    IReadOnlyList<ModuleInfo> GetModules();

    /// <summary>One module by id, or null when none is installed under it.</summary>
    ModuleInfo? GetModule(string id);

    /// <summary>The modules that are enabled and loaded, in load order.</summary>
    IReadOnlyList<LoadedModule> EnabledModules { get; }

    /// <summary>
    /// True while an upgrade of the module runs (from before its old version stops until the new one is
    /// wired in or the old one is back): a surface that finds no route for it then waits for the change token
    /// instead of turning the work away.
    /// </summary>
    bool IsUpgrading(string id);

    /// <summary>A token that fires when the next snapshot is published (take a new one after it fired).</summary>
    IChangeToken GetChangeToken();
}
