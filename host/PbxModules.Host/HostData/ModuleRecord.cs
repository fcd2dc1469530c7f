namespace PbxModules.Host.HostData;

/// <summary>A row of <c>c_modules</c>: what the host remembers about an installed module across restarts.</summary>
public sealed class ModuleRecord
{
    /// <summary>The module id.</summary>
    public required string Id { get; set; }

    /// <summary>The version installed or last upgraded to; empty when the module was disabled before it was ever installed.</summary>
    public required string InstalledVersion { get; set; }

    /// <summary>True when the module should be loaded at start-up.</summary>
    public bool Enabled { get; set; }

    /// <summary>Why the host disabled the module by itself (a module it depends on was disabled); null when an administrator did. The crash-loop breaker never writes here: its quarantine is in memory only.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>
    /// The name of its folder under <c>Paths:Modules</c> (a name, not a path, so moving the modules
    /// folder keeps it). When another folder claims the same id, this one keeps it. Null in records
    /// written before folders were recorded; set at the next start.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>SHA-256 of the package it was installed from (lowercase hex); null for a module deployed as a folder.</summary>
    public string? PackageSha256 { get; set; }

    /// <summary>Whether that package had a trusted author signature; null without a package.</summary>
    public bool? PackageSigned { get; set; }

    /// <summary>The signing certificate's SHA-256 fingerprint; null when unsigned or without a package.</summary>
    public string? PackageSigner { get; set; }

    /// <summary>The signing certificate's subject; null when unsigned or without a package.</summary>
    public string? PackageSignerSubject { get; set; }

    /// <summary>Where the package came from (a file, an upload, a feed); null when not said or without a package.</summary>
    public string? PackageSource { get; set; }

    /// <summary>The package info, or null for a module deployed as a folder.</summary>
    public Packages.ModulePackageInfo? ToPackageInfo()
        => PackageSha256 is null ? null : new(PackageSigned ?? false, PackageSigner, PackageSignerSubject, PackageSha256, PackageSource);

    /// <summary>When it was installed (UTC).</summary>
    public DateTime InstalledAt { get; set; }

    /// <summary>When this row last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}
