namespace PbxModules.Host.Packages;

/// <summary>Why a package (or an install, upgrade or uninstall built on it) was refused; one per distinct problem, each with its own message.</summary>
public enum PackageRefusalCode
{
    /// <summary>Not a readable .nupkg (not a zip, no .nuspec, truncated).</summary>
    Corrupt,
    /// <summary>The .nupkg is larger than <c>Modules:MaxPackageBytes</c>.</summary>
    TooLarge,
    /// <summary>Its entries would expand to more than <c>Modules:MaxExpandedBytes</c> (or more entries than allowed).</summary>
    ExpandsTooLarge,
    /// <summary>An entry whose path leaves the module folder (<c>..</c>).</summary>
    EntryOutsideFolder,
    /// <summary>An entry with an absolute path (<c>/x</c>, <c>C:\x</c>, <c>\\server</c>).</summary>
    AbsolutePath,
    /// <summary>An entry that is a symbolic or hard link.</summary>
    Link,
    /// <summary>The nuspec does not declare package type <c>PbxModule</c>.</summary>
    WrongPackageType,
    /// <summary>No <c>module/module.json</c>.</summary>
    NoManifest,
    /// <summary>module.json is there but invalid (the message names the field).</summary>
    InvalidManifest,
    /// <summary>module.json's id differs from the package id.</summary>
    IdMismatch,
    /// <summary>module.json's version differs from the package version.</summary>
    VersionMismatch,
    /// <summary>No author signature, and <c>Modules:AllowUnsigned</c> is not set.</summary>
    Unsigned,
    /// <summary>Signed, but by a certificate whose fingerprint is not in <c>Modules:TrustedSigners</c>.</summary>
    UnknownSigner,
    /// <summary>The signature does not verify: the content changed after signing, or the signature is malformed.</summary>
    SignatureInvalid,
    /// <summary>The module targets an SDK range this host does not provide.</summary>
    IncompatibleSdk,
    /// <summary>A module it depends on is neither installed (in a satisfying version) nor on any feed.</summary>
    MissingDependency,
    /// <summary>Its dependencies depend on it again.</summary>
    DependencyCycle,
    /// <summary>No feed has that id (or that version).</summary>
    NotFoundOnFeeds,
    /// <summary>A feed could not be read (network, bad source).</summary>
    FeedUnavailable,
    /// <summary>The module is already installed (install refused; use upgrade).</summary>
    AlreadyInstalled,
    /// <summary>The module is not installed (upgrade refused; use install).</summary>
    NotInstalled,
    /// <summary>The version is older than the installed one and a downgrade was not asked for explicitly.</summary>
    Downgrade,
    /// <summary>Another module that is enabled depends on it (uninstall refused).</summary>
    HasDependents,
}
