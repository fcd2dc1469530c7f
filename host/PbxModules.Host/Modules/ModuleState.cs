namespace PbxModules.Host.Modules;

/// <summary>Where a module stands, as the API and the admin page show it.</summary>
public enum ModuleState
{
    /// <summary>Loaded and contributing to every surface.</summary>
    Enabled,

    /// <summary>Installed but switched off by an administrator (or because a module it depends on was); not loaded.</summary>
    Disabled,

    /// <summary>Could not be loaded or started; <see cref="ModuleInfo.FailureReason"/> says why. Other modules are unaffected.</summary>
    Failed,
}

/// <summary>A snapshot of one module for the API.</summary>
/// <param name="Id">The manifest id, or the folder name when the manifest has none.</param>
/// <param name="Name">The manifest name, or the folder name.</param>
/// <param name="Version">The version the manifest declares; null when it could not be read.</param>
/// <param name="InstalledVersion">The version recorded at install or last upgrade; null when never installed.</param>
/// <param name="State">Enabled, Disabled or Failed.</param>
/// <param name="FailureReason">Why the module failed, or why it was disabled automatically; null otherwise.</param>
/// <param name="Description">The manifest description.</param>
/// <param name="Developer">The manifest developer.</param>
/// <param name="Folder">The folder the module was found in.</param>
public sealed record ModuleInfo(
    string Id,
    string Name,
    string? Version,
    string? InstalledVersion,
    ModuleState State,
    string? FailureReason,
    string? Description,
    string? Developer,
    string Folder)
{
    /// <summary>
    /// Set while the crash-loop breaker has the (still enabled) module in quarantine: why, since when and
    /// when it is tried again. Filled in by the API from <c>ModuleCrashBreaker</c>; null otherwise.
    /// </summary>
    public Supervision.ModuleQuarantine? Quarantine { get; init; }

    /// <summary>The package the module was installed from (signed or not, by whom, its hash, its source); null for a module deployed as a folder, e.g. by the build.</summary>
    public Packages.ModulePackageInfo? Package { get; init; }
}
