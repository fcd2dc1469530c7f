using System.Security.Cryptography.X509Certificates;
using NuGet.Packaging;
using NuGet.Packaging.Signing;

namespace PbxModules.Host.Packages.Verification;

/// <summary>
/// Verifies a package's NuGet author signature with NuGet.Packaging, as <c>dotnet nuget verify</c> does,
/// then decides trust by the signing certificate's SHA-256 fingerprint (<c>Modules:TrustedSigners</c>)
/// instead of the machine's root store: a PBX vendor signs with its own certificate, whose root no
/// machine trusts, so the untrusted root NuGet reports is accepted and the fingerprint is what decides.
/// </summary>
internal static class AuthorSignatureVerifier
{
    // Integrity: the signed hash still matches the zip. Trust and validity: the CMS signature, the
    // certificate's key usage and validity period, with an untrusted root allowed and no timestamp required.
    private static readonly PackageSignatureVerifier Verifier = new([new IntegrityVerificationProvider(), new SignatureTrustAndValidityVerificationProvider()]);

    private static readonly SignedPackageVerifierSettings Settings = new(
        allowUnsigned: false,
        allowIllegal: false,
        allowUntrusted: true,
        allowIgnoreTimestamp: true,
        allowMultipleTimestamps: true,
        allowNoTimestamp: true,
        allowUnknownRevocation: true,
        reportUnknownRevocation: false,
        verificationTarget: VerificationTarget.Author,
        signaturePlacement: SignaturePlacement.PrimarySignature,
        repositoryCountersignatureVerificationBehavior: SignatureVerificationBehavior.Never,
        // A PBX may have no Internet access, and a self-signed certificate has no revocation list anyway.
        revocationMode: NuGet.Common.RevocationMode.Offline);

    /// <summary>Who signed the package, or the refusal; <see cref="PackageSignatureInfo.Unsigned"/> only when unsigned packages are allowed.</summary>
    public static async Task<(PackageSignatureInfo? Signature, PackageRefusal? Refusal)> VerifyAsync(
        PackageArchiveReader reader, string package, ModulePackageOptions options, CancellationToken cancellationToken)
    {
        PrimarySignature? signature;
        try
        {
            if (!await reader.IsSignedAsync(cancellationToken))
            {
                return options.AllowUnsigned
                    ? (PackageSignatureInfo.Unsigned, null)
                    : (null, new(PackageRefusalCode.Unsigned, $"Package '{package}' is not signed, and this host accepts only signed packages: ask its author for a signed package (dotnet nuget sign), or set Modules:AllowUnsigned to true to accept unsigned packages (they are then listed as unsigned)."));
            }
            signature = await reader.GetPrimarySignatureAsync(cancellationToken);
            var result = await Verifier.VerifySignaturesAsync(reader, Settings, cancellationToken);
            if (!result.IsValid)
                return (null, Invalid(package, result.Results.SelectMany(r => r.Issues).Where(i => i.Level == NuGet.Common.LogLevel.Error).Select(i => $"{i.Code}: {i.Message}")));
        }
        catch (SignatureException ex)
        {
            return (null, Invalid(package, [$"{ex.Code}: {ex.Message}"]));
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            // NuGet wraps what the CMS decoder said in a generic message: the inner one names the problem.
            return (null, Invalid(package, [ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message]));
        }

        if (signature is null || signature.Type != SignatureType.Author)
            return (null, Invalid(package, [$"its primary signature is a {signature?.Type.ToString().ToLowerInvariant() ?? "missing"} signature, not an author signature"]));

        var certificate = signature.SignerInfo.Certificate;
        if (certificate is null)
            return (null, Invalid(package, ["the signature holds no signing certificate"]));
        var fingerprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256).ToUpperInvariant();
        if (!options.TrustedSigners.Any(t => SignerFingerprint.Normalize(t) == fingerprint))
            return (null, UnknownSigner(package, certificate, fingerprint));
        return (new PackageSignatureInfo(true, fingerprint, certificate.Subject), null);
    }

    private static PackageRefusal Invalid(string package, IEnumerable<string> problems)
    {
        var list = problems.ToList();
        var why = list.Count == 0 ? "NuGet reported no detail" : string.Join("; ", list);
        return new(PackageRefusalCode.SignatureInvalid, $"Package '{package}' has an author signature that does not verify ({why}): its content changed after it was signed, or the signature is damaged. Do not install it; get the package again from its author.");
    }

    private static PackageRefusal UnknownSigner(string package, X509Certificate2 certificate, string fingerprint)
        => new(PackageRefusalCode.UnknownSigner, $"Package '{package}' is signed by a certificate this host does not trust: subject '{certificate.Subject}', SHA-256 fingerprint {fingerprint}. If you trust that signer, add the fingerprint to Modules:TrustedSigners and install again.");
}
