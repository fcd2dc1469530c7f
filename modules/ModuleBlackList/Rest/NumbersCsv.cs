using System.Globalization;
using CsvHelper;
using ModuleBlackList.Models;

namespace ModuleBlackList.Rest;

/// <summary>
/// The CSV form of the list, shared by import and export so that an export imports back unchanged:
/// a header row, then one rule per row with the columns <c>number, description, kind, expiresAt,
/// scope, enabled</c>. Only <c>number</c> is required on import; <c>kind</c> is Block or Allow
/// (default Block), <c>expiresAt</c> ISO 8601 (UTC unless it says otherwise), <c>scope</c> the
/// routes' DIDs separated by <c>;</c>, <c>enabled</c> true or false (default true).
/// </summary>
internal static class NumbersCsv
{
    public const string Number = "number";
    public const string Description = "description";
    public const string Kind = "kind";
    public const string ExpiresAt = "expiresAt";
    public const string Scope = "scope";
    public const string Enabled = "enabled";

    /// <summary>The columns in the order export writes them.</summary>
    public static readonly string[] Columns = [Number, Description, Kind, ExpiresAt, Scope, Enabled];

    /// <summary>Reads the rows of an import; throws <see cref="ImportTooLargeException"/> past <paramref name="maxRows"/>.</summary>
    /// <returns>The rows, and warnings about the header (unknown columns).</returns>
    /// <exception cref="ImportFormatException">No header, or no <c>number</c> column.</exception>
    public static (List<ImportRow> Rows, List<string> Warnings) Read(Stream stream, int maxRows)
    {
        var malformed = new HashSet<long>();
        var options = CsvReaderOptions.Default with
        {
            // Fixed: the scope column separates DIDs with ';', which detection could mistake for the separator.
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            // One rule per record is short; a bigger one is an unclosed quote eating the file.
            MaxRecordSize = 64 * 1024,
            OnMalformedRecord = record => malformed.Add(record.LineNumber),
        };
        using var csv = CsvReader.Create(stream, options, leaveOpen: true);

        var header = csv.Headers;
        if (header.Count == 0) throw new ImportFormatException($"The CSV is empty: it needs a header row ({string.Join(',', Columns)}), then one rule per row.");
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            var known = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (known is null) warnings.Add($"Column '{name}' is not one of {string.Join(", ", Columns)}; it was ignored.");
            else columns.TryAdd(known, i);
        }
        if (!columns.ContainsKey(Number))
            throw new ImportFormatException($"The CSV header has no 'number' column. The first row must name the columns, e.g. {string.Join(',', Columns)} (only number is required).");

        var rows = new List<ImportRow>();
        var lines = new List<long>();
        while (csv.Read())
        {
            if (rows.Count == maxRows) throw new ImportTooLargeException(string.Create(CultureInfo.InvariantCulture, $"The file has more than {maxRows:N0} rules; split it into smaller files."));
            var fields = csv.FieldCount;
            string? Field(string column) => columns.TryGetValue(column, out var index) && index < fields ? csv.GetString(index) : null;
            var line = csv.LineNumber;
            lines.Add(line);
            rows.Add(ParseRow(checked((int)line), Field));
        }

        // The reader reports bad quoting as it scans, possibly ahead of the record it returns: match by line afterwards.
        if (malformed.Count > 0)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                if (!malformed.Contains(lines[i])) continue;
                var errors = rows[i].Errors ?? [];
                errors["row"] = ["is not well-formed CSV (a quote inside an unquoted field, text after a closing quote, or an unclosed quote)."];
                rows[i] = rows[i] with { Input = null, Errors = errors };
            }
        }
        return (rows, warnings);
    }

    /// <summary>Writes the header and then each rule, flushing as it goes (the list may not fit in memory twice).</summary>
    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<BlackListNumbers> rules, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(stream, CsvWriterOptions.Default, leaveOpen: true);
        csv.WriteHeader(Columns);
        await foreach (var rule in rules.WithCancellation(cancellationToken))
        {
            csv.WriteField(rule.Number);
            csv.WriteField(rule.Description);
            csv.WriteField(rule.Kind.ToString());
            csv.WriteField(rule.ExpiresAt is { } expires ? RuleView.Utc(expires).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "");
            csv.WriteField(string.Join(';', RuleScope.Split(rule.Scope)));
            csv.WriteField(rule.Enabled ? "true" : "false");
            await csv.EndRecordAsync(cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
    }

    private static ImportRow ParseRow(int line, Func<string, string?> field)
    {
        var number = field(Number);
        var errors = new Dictionary<string, string[]>();

        var kind = RuleKind.Block;
        var kindText = field(Kind);
        if (!string.IsNullOrWhiteSpace(kindText))
        {
            if (NumbersResource.TryParseKind(kindText, out var parsed) && parsed is { } k) kind = k;
            else errors[Kind] = [$"must be Block or Allow; got '{kindText}'."];
        }

        DateTime? expiresAt = null;
        var expiresText = field(ExpiresAt);
        if (!string.IsNullOrWhiteSpace(expiresText))
        {
            if (DateTime.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires)) expiresAt = expires;
            else errors[ExpiresAt] = [$"must be a date or time in ISO 8601 form, e.g. 2027-01-31T00:00:00Z; got '{expiresText}'."];
        }

        var enabled = true;
        var enabledText = field(Enabled);
        if (!string.IsNullOrWhiteSpace(enabledText))
        {
            if (bool.TryParse(enabledText, out var e)) enabled = e;
            else if (enabledText.Trim() is "1" or "0") enabled = enabledText.Trim() == "1";
            else errors[Enabled] = [$"must be true or false; got '{enabledText}'."];
        }

        var scope = field(Scope) is { } scopeText
            ? scopeText.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()
            : null;
        var input = new RuleInput
        {
            Number = number,
            Description = string.IsNullOrEmpty(field(Description)) ? null : field(Description),
            Kind = kind,
            ExpiresAt = expiresAt,
            Enabled = enabled,
            Scope = scope,
        };
        return new ImportRow(line, number, input, errors.Count > 0 ? errors : null);
    }
}

/// <summary>One row of an import as read: its position, the number it names, and the input or the reasons it could not be read.</summary>
/// <param name="Row">CSV: the line of the file (the header is line 1); JSON: the position in the array, from 1.</param>
/// <param name="Number">The number as written, when it could be read.</param>
/// <param name="Input">The rule it asks for.</param>
/// <param name="Errors">Why it could not be read; null when it could.</param>
public sealed record ImportRow(int Row, string? Number, RuleInput? Input, Dictionary<string, string[]>? Errors);

/// <summary>The upload is malformed as a whole (no header, not a JSON array): 400; or of a type the import does not read: 415.</summary>
internal sealed class ImportFormatException(string message, bool unsupportedMediaType = false) : Exception(message)
{
    /// <summary>True when the content type (or file name) is neither CSV nor JSON.</summary>
    public bool UnsupportedMediaType { get; } = unsupportedMediaType;
}

/// <summary>The upload is larger than the import accepts: 413.</summary>
internal sealed class ImportTooLargeException(string message) : Exception(message);
