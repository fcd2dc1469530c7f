using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
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

    // Strict: an invalid byte is an error of its row, not a U+FFFD stored in the list.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the rows of an import as they arrive (the stream is read asynchronously, a buffer at a
    /// time: the file is never held whole). A row that is not valid UTF-8 or not well-formed CSV is
    /// an error of that row; the rows around it are read.
    /// </summary>
    /// <param name="stream">The CSV, UTF-8 unless it starts with a UTF-16 or UTF-32 byte order mark.</param>
    /// <param name="warnings">Receives warnings about the header (unknown columns).</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <exception cref="ImportFormatException">No header, or no <c>number</c> column (thrown by the first read).</exception>
    public static async IAsyncEnumerable<ImportRow> ReadAsync(Stream stream, List<string> warnings, [EnumeratorCancellation] CancellationToken cancellationToken)
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
        await using var csv = CsvReader.Create(stream, options, leaveOpen: true);

        await csv.ReadHeaderAsync(cancellationToken);
        var header = csv.Headers;
        if (header.Count == 0) throw new ImportFormatException($"The CSV is empty: it needs a header row ({string.Join(',', Columns)}), then one rule per row.");
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            var known = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (known is null) warnings.Add($"Column '{name}' is not one of {string.Join(", ", Columns)}; it was ignored.");
            else columns.TryAdd(known, i);
        }
        if (!columns.ContainsKey(Number))
            throw new ImportFormatException($"The CSV header has no 'number' column. The first row must name the columns, e.g. {string.Join(',', Columns)} (only number is required).");

        while (await csv.ReadAsync(cancellationToken))
        {
            var line = csv.LineNumber;
            // The reader reports bad quoting while it scans, before it returns the record (possibly
            // for records ahead of this one): by now this record's report, if any, is in the set.
            if (malformed.Remove(line))
            {
                yield return new ImportRow(checked((int)line), null, null, new() { ["row"] = ["is not well-formed CSV (a quote inside an unquoted field, text after a closing quote, or an unclosed quote)."] });
                continue;
            }
            if (InvalidUtf8(csv.RawRecord) is { } offset)
            {
                yield return new ImportRow(checked((int)line), null, null, new() { ["row"] = [string.Create(CultureInfo.InvariantCulture, $"is not valid UTF-8 (byte {offset + 1} of the line); save the file as UTF-8 and import this row again.")] });
                continue;
            }
            var fields = csv.FieldCount;
            string? Field(string column) => columns.TryGetValue(column, out var index) && index < fields ? csv.GetString(index) : null;
            yield return ParseRow(checked((int)line), Field);
        }
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or null when all are.</summary>
    private static int? InvalidUtf8(ReadOnlySpan<byte> record)
    {
        try
        {
            StrictUtf8.GetCharCount(record);
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            return Math.Max(ex.Index, 0);
        }
    }

    /// <summary>
    /// How export writes: RFC 4180, and a text cell that a spreadsheet would run as a formula (it
    /// starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) is written as OWASP
    /// recommends against CSV injection: a single quote in front and the field quoted
    /// (<c>"'=cmd|' /C calc'!A0"</c>), which spreadsheets show as text. This is CsvHelper's own
    /// <see cref="CsvInjection.Escape"/>, whose characters are OWASP's list.
    /// </summary>
    /// <remarks>
    /// The option covers every text column; CsvHelper has no per-column switch. Only description is
    /// free text. The number column holds validated characters (digits, a leading <c>+</c>,
    /// formatting, a trailing <c>*</c>), which cannot spell a function, a DDE command or a reference,
    /// so it needs no escaping for safety; a number starting with <c>+</c> or <c>-</c> is escaped all
    /// the same, which also keeps a spreadsheet from evaluating <c>+1-800-555-0100</c> as arithmetic.
    /// <see cref="TextMarker"/> is the single quote; the import drops it in front of a number
    /// (a number never contains one), so an export imports back to the same numbers.
    /// </remarks>
    public static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    /// <summary>The quote a spreadsheet reads as "this cell is text", which export puts in front of a possible formula.</summary>
    public const char TextMarker = '\'';

    /// <summary>Writes the header and then each rule, flushing as it goes (the list may not fit in memory twice).</summary>
    public static async Task WriteAsync(Stream stream, IAsyncEnumerable<BlackListNumbers> rules, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(stream, WriterOptions, leaveOpen: true);
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
        // Export's text marker in front of a number (see WriterOptions): not part of the number.
        if (number is [TextMarker, '+' or '-', ..]) number = number[1..];
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
