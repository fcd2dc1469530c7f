using PbxModules.Host.Modules;

namespace PbxModules.Host.Packages;

/// <summary>
/// The install and upgrade transitions of the module manager, for the code that turns a request
/// (an upload, a path, <c>id@version</c> from the feeds) into a verified <see cref="IModulePackage"/>.
/// Implemented by <see cref="ModuleManager"/>: each runs under its lock, journaled, and rolls back on failure.
/// </summary>
public interface IModuleInstallTransitions
{
    /// <summary>Installs a module that is not installed: extracts to staging, swaps in, loads, migrates, runs its install hook, enables it unless <paramref name="enable"/> is false.</summary>
    Task<ModuleOperationResult> InstallAsync(IModulePackage package, bool enable, CancellationToken cancellationToken);

    /// <summary>Upgrades an installed module to the package's version (a downgrade only with <paramref name="allowDowngrade"/>); on any failure the previous version and its data are put back.</summary>
    Task<ModuleOperationResult> UpgradeAsync(string id, IModulePackage package, bool allowDowngrade, CancellationToken cancellationToken);
}
