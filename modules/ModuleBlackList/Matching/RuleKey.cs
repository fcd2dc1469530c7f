using ModuleBlackList.Models;

namespace ModuleBlackList.Matching;

/// <summary>
/// A rule's canonical form, kind and shape packed into one <see cref="ulong"/>: bit 63 allow, bit 62
/// prefix, bits 57–61 the digit count (1–17), bits 0–56 the digits' value. E.164 numbers (at most 15
/// digits) always pack; anything else (longer, or not all digits) is "odd": digit count 0, and the
/// canonical string is kept beside the key.
/// </summary>
internal static class RuleKey
{
    public const int MaxDigits = 17;
    public const int BlockExact = 0;
    public const int BlockPrefix = 1;
    public const int AllowExact = 2;
    public const int AllowPrefix = 3;

    private static readonly ulong[] Pow10 = [.. Enumerable.Range(0, MaxDigits + 1).Select(p => (ulong)Math.Pow(10, p))];

    public static int GroupOf(bool isPrefix, RuleKind kind) => (kind == RuleKind.Allow ? 2 : 0) | (isPrefix ? 1 : 0);

    public static int GroupOf(ulong key) => (int)(key >> 62);

    public static bool IsAllow(ulong key) => (key >> 63) != 0;

    public static bool IsPrefix(ulong key) => ((key >> 62) & 1) != 0;

    public static int LengthOf(ulong key) => (int)((key >> 57) & 31);

    public static bool IsOdd(ulong key) => LengthOf(key) == 0;

    /// <summary>The key of a group and a packed value (length ≥ 1).</summary>
    public static ulong Of(int group, int length, ulong value) => ((ulong)group << 62) | ((ulong)length << 57) | value;

    public static ulong Pack(ReadOnlySpan<char> normalized, bool isPrefix, RuleKind kind)
    {
        var group = GroupOf(isPrefix, kind);
        return LeadingDigits(normalized) == normalized.Length && normalized.Length is > 0 and <= MaxDigits
            ? Of(group, normalized.Length, ValueOf(normalized))
            : (ulong)group << 62;
    }

    /// <summary>How many leading characters are ASCII digits, at most <see cref="MaxDigits"/> + 1.</summary>
    public static int LeadingDigits(ReadOnlySpan<char> s)
    {
        var n = 0;
        while (n < s.Length && n <= MaxDigits && char.IsAsciiDigit(s[n])) n++;
        return n;
    }

    public static ulong ValueOf(ReadOnlySpan<char> digits)
    {
        ulong value = 0;
        foreach (var c in digits) value = value * 10 + (ulong)(c - '0');
        return value;
    }

    /// <summary>The value of the first <paramref name="length"/> of <paramref name="total"/> digits whose value is <paramref name="value"/>.</summary>
    public static ulong Truncate(ulong value, int total, int length) => value / Pow10[total - length];

    public static string DigitsOf(ulong key)
    {
        var length = LengthOf(key);
        var value = key & ((1UL << 57) - 1);
        return string.Create(length, value, static (span, v) =>
        {
            for (var i = span.Length - 1; i >= 0; i--)
            {
                span[i] = (char)('0' + (int)(v % 10));
                v /= 10;
            }
        });
    }
}
