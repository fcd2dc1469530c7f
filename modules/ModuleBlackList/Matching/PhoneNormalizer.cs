using PhoneNumbers;

namespace ModuleBlackList.Matching;

/// <summary>
/// Turns the ways people and trunks write a number into one canonical form, so that a rule and a
/// caller written differently match: <c>+1 (800) 555-0100</c>, <c>0018005550100</c> and
/// <c>18005550100</c> all become <c>18005550100</c> (country code first, digits only).
/// Full numbers go through Google's libphonenumber with the configured default region; prefix
/// patterns cannot (they are incomplete numbers), so they get the same rules by hand: formatting
/// stripped, an international prefix (<c>00</c>, <c>011</c>) or <c>+</c> marks a country code, the
/// region's national trunk prefix becomes its country code, and a national prefix without either
/// gets the country code in front.
/// </summary>
public sealed class PhoneNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private readonly string _region;
    private readonly string[] _internationalPrefixes;
    private readonly string _countryCode;
    private readonly string _nationalPrefix;

    /// <summary>Creates a normaliser for a region (e.g. <c>US</c>) and its international prefixes (longest tried first).</summary>
    public PhoneNormalizer(string region, IEnumerable<string> internationalPrefixes)
    {
        _region = region;
        _internationalPrefixes = [.. internationalPrefixes.Where(p => p.Length > 0).OrderByDescending(p => p.Length)];
        _countryCode = Util.GetCountryCodeForRegion(region).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _nationalPrefix = Util.GetMetadataForRegion(region)?.NationalPrefix ?? "";
    }

    /// <summary>
    /// The canonical form of a full number, or an empty string when it holds no digits (or letters:
    /// <c>anonymous</c>, <c>unknown</c>). Short numbers (internal extensions) and national numbers
    /// shorter than the region's full length (a US 7-digit local number) keep their digits.
    /// </summary>
    public string Normalize(string? raw)
    {
        if (!TryStrip(raw, out var plus, out var digits)) return "";
        var international = plus || TryStripInternationalPrefix(ref digits);
        try
        {
            var parsed = Util.Parse(international ? "+" + digits : digits, _region);
            // A national number gets the region's country code only when it has a full national
            // length (US: 10 digits). A local-only length (the US 7-digit 555 1234) or a length the
            // region does not have is not a number of the region: it keeps its digits rather than
            // become a made-up 15551234. Not IsValidNumber: that also refuses area codes
            // libphonenumber does not know, which spoofed caller ids use, and would make
            // "+1 999 555 1234" and "999 555 1234" different callers. The same rule runs for stored
            // rules and for callers, so both sides agree.
            var possible = Util.IsPossibleNumberWithReason(parsed);
            if (possible == PhoneNumberUtil.ValidationResult.IS_POSSIBLE || (international && possible == PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY))
                return Util.Format(parsed, PhoneNumberFormat.E164)[1..];
        }
        catch (NumberParseException)
        {
            // Not a phone number libphonenumber knows (a short code, an extension): keep the digits.
        }
        return digits;
    }

    /// <summary>The canonical form of a prefix pattern (without its trailing <c>*</c>), or empty when it has no digits.</summary>
    public string NormalizePrefix(string? raw)
    {
        if (!TryStrip(raw?.TrimEnd().TrimEnd('*'), out var plus, out var digits)) return "";
        if (plus || TryStripInternationalPrefix(ref digits)) return digits;
        if (digits.StartsWith(_countryCode, StringComparison.Ordinal)) return digits;
        if (_nationalPrefix.Length > 0 && digits.StartsWith(_nationalPrefix, StringComparison.Ordinal))
            return _countryCode + digits[_nationalPrefix.Length..];
        return _countryCode + digits;
    }

    private bool TryStripInternationalPrefix(ref string digits)
    {
        foreach (var prefix in _internationalPrefixes)
        {
            if (digits.Length > prefix.Length && digits.StartsWith(prefix, StringComparison.Ordinal))
            {
                digits = digits[prefix.Length..];
                return true;
            }
        }
        return false;
    }

    /// <summary>Keeps digits; a leading <c>+</c> is noted; spaces, dashes, dots, slashes and brackets are dropped; anything else (letters) makes it not a number.</summary>
    private static bool TryStrip(string? raw, out bool plus, out string digits)
    {
        plus = false;
        digits = "";
        if (string.IsNullOrWhiteSpace(raw)) return false;
        Span<char> buffer = stackalloc char[Math.Min(raw.Length, 64)];
        var n = 0;
        foreach (var c in raw.AsSpan().Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == buffer.Length) return false;
                buffer[n++] = c;
            }
            else if (c == '+' && n == 0 && !plus) plus = true;
            else if (c is ' ' or '-' or '.' or '/' or '(' or ')' or '[' or ']') continue;
            else return false;
        }
        if (n == 0) return false;
        digits = new string(buffer[..n]);
        return true;
    }
}
