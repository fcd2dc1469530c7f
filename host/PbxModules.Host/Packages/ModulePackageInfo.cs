namespace PbxModules.Host.Packages;

/// <summary>
/// What the host remembers of the package an installed module came from, shown wherever the module
/// is listed (<c>GET /modules</c>): whether it was signed and by whom, its hash and where it came from.
/// </summary>
/// <param name="Signed">False for a package accepted unsigned (<c>Modules:AllowUnsigned</c>): listed as unsigned.</param>
/// <param name="Signer">The signing certificate's SHA-256 fingerprint; null when unsigned.</param>
/// <param name="SignerSubject">The signing certificate's subject; null when unsigned.</param>
/// <param name="Sha256">SHA-256 of the .nupkg, lowercase hex.</param>
/// <param name="Source">Where the package came from (a file, an upload, a feed); null when not said.</param>
public sealed record ModulePackageInfo(bool Signed, string? Signer, string? SignerSubject, string Sha256, string? Source)
{
    /// <summary>The package info of a verified package.</summary>
    public static ModulePackageInfo Of(IModulePackage package) => new(
        package.Signature.Signed,
        package.Signature.SignerFingerprint,
        package.Signature.SignerSubject,
        package.Sha256,
        package.Source);
}
