using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PbxModules.Sdk.Testing.Packages;

/// <summary>
/// Code-signing certificates for signing module packages in tests (and for a vendor trying out the
/// host's trust before buying a real one), and their fingerprints as <c>Modules:TrustedSigners</c> takes them.
/// </summary>
public static class SigningCertificates
{
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>
    /// A self-signed RSA 2048 / SHA-256 certificate usable for NuGet author signatures (code-signing
    /// extended key usage, digital signature key usage), valid from an hour ago for <paramref name="validity"/> (default 30 days), with its private key.
    /// </summary>
    /// <param name="subjectName">The distinguished name, e.g. <c>CN=My PBX vendor</c>.</param>
    /// <param name="validity">How long it is valid from now.</param>
    public static X509Certificate2 CreateSelfSigned(string subjectName = "CN=PbxModules test signer", TimeSpan? validity = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subjectName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CodeSigningOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddHours(-1), now + (validity ?? TimeSpan.FromDays(30)));
        // Through PKCS#12 so the private key is a persisted one every signing API accepts, not the request's ephemeral key.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>The certificate's SHA-256 fingerprint, uppercase hex without separators: what <c>Modules:TrustedSigners</c> lists.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }
}
