namespace PbxModules.Host.Packages;

/// <summary>How a package was signed, as shown wherever the installed module is listed.</summary>
/// <param name="Signed">True for a package with a valid author signature by a trusted signer.</param>
/// <param name="SignerFingerprint">The signing certificate's SHA-256 fingerprint (uppercase hex, no separators); null when unsigned.</param>
/// <param name="SignerSubject">The signing certificate's subject, for people; null when unsigned.</param>
public sealed record PackageSignatureInfo(bool Signed, string? SignerFingerprint, string? SignerSubject)
{
    /// <summary>An unsigned package accepted because <c>Modules:AllowUnsigned</c> is set.</summary>
    public static PackageSignatureInfo Unsigned { get; } = new(false, null, null);
}
