using System.Globalization;

namespace ModuleBlackList.Rest;

/// <summary>Small helpers the resources share for query-string filters.</summary>
internal static class RestQuery
{
    /// <summary>A LIKE pattern matching <paramref name="text"/> anywhere, with LIKE's wildcards escaped by <c>\</c>.</summary>
    public static string Contains(string text)
        => "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>Only the digits of <paramref name="text"/> (so a search for <c>555-0100</c> finds the canonical <c>18005550100</c>).</summary>
    public static string Digits(string text) => string.Concat(text.Where(char.IsAsciiDigit));

    /// <summary>
    /// Reads an optional point in time: ISO 8601 (<c>2026-11-24</c>, <c>2026-11-24T10:00:00Z</c>,
    /// with an offset); without a zone it is UTC. Adds a field error when it does not parse.
    /// </summary>
    public static DateTime? Time(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            return value;
        errors[field] = [$"must be a date or time in ISO 8601 form, e.g. 2026-11-24 or 2026-11-24T10:00:00Z; got '{text}'."];
        return null;
    }
}
