using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Packages;

/// <summary>
/// A module package (<c>.nupkg</c> of package type <c>PbxModule</c>) whose every check passed
/// (<see cref="IModulePackageVerifier"/>): what the install and upgrade transitions take.
/// </summary>
public interface IModulePackage
{
    /// <summary>The module id; equal to the package id.</summary>
    string Id { get; }

    /// <summary>The module version; equal to the package version.</summary>
    SemVersion Version { get; }

    /// <summary>The package's <c>module/module.json</c>, validated.</summary>
    ModuleManifest Manifest { get; }

    /// <summary>Who signed it, or that nobody did (only accepted with <c>Modules:AllowUnsigned</c>).</summary>
    PackageSignatureInfo Signature { get; }

    /// <summary>SHA-256 of the whole <c>.nupkg</c> file, lowercase hex.</summary>
    string Sha256 { get; }

    /// <summary>Where the package came from, for people (a file path, "upload", a feed's source); recorded with the installed module. Null when not said.</summary>
    string? Source => null;

    /// <summary>
    /// Writes the module folder (the package's <see cref="ModulePackageLayout.ModuleFolder"/> entries, without
    /// that prefix) into <paramref name="directory"/>, which must be empty. Every entry was checked to stay inside it.
    /// </summary>
    Task ExtractToAsync(string directory, CancellationToken cancellationToken);
}
