using System.Globalization;

namespace PbxModules.Host.Packages;

/// <summary>
/// A certificate's SHA-256 fingerprint as <c>Modules:TrustedSigners</c> lists it: people paste it with
/// colons or spaces (<c>AB:CD:…</c>, as <c>openssl x509 -fingerprint</c> prints it) in either case,
/// the host compares the 64 hex digits only.
/// </summary>
public static class SignerFingerprint
{
    /// <summary>The number of hex digits of a SHA-256 fingerprint.</summary>
    public const int HexLength = 64;

    /// <summary>The fingerprint without ':' and spaces, uppercase.</summary>
    public static string Normalize(string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return string.Concat(fingerprint.Where(c => c is not (':' or ' '))).ToUpperInvariant();
    }

    /// <summary>True when <paramref name="fingerprint"/>, normalised, is 64 hex digits.</summary>
    public static bool IsValid(string? fingerprint)
    {
        if (fingerprint is null) return false;
        var normalized = Normalize(fingerprint);
        return normalized.Length == HexLength && normalized.All(c => char.IsAsciiHexDigit(c));
    }

    /// <summary>Formats a SHA-256 hash as a fingerprint (uppercase hex, no separators).</summary>
    public static string FromHash(ReadOnlySpan<byte> sha256) => Convert.ToHexString(sha256).ToUpper(CultureInfo.InvariantCulture);
}
