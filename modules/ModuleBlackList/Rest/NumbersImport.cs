using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using ModuleBlackList.Models;

namespace ModuleBlackList.Rest;

/// <summary>A row the import refused, and why (field → messages).</summary>
/// <param name="Row">CSV: the line of the file (the header is line 1); JSON: the position in the array, from 1.</param>
/// <param name="Number">The number as written.</param>
/// <param name="Errors">Messages by field (<c>row</c> for the row as a whole).</param>
public sealed record ImportRejection(int Row, string? Number, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>A row the import skipped because the same rule exists (in the list, or earlier in the file).</summary>
/// <param name="Row">As in <see cref="ImportRejection.Row"/>.</param>
/// <param name="Number">The number as written.</param>
/// <param name="ExistingId">The stored rule it repeats; null when it repeats an earlier row.</param>
/// <param name="SameAsRow">The earlier row it repeats; null when it repeats a stored rule.</param>
public sealed record ImportDuplicate(int Row, string? Number, int? ExistingId, int? SameAsRow);

/// <summary>What an import did.</summary>
/// <param name="Rows">Rows read.</param>
/// <param name="Imported">Rules stored (0 when all-or-nothing refused the file).</param>
/// <param name="Rejected">Rows that did not validate.</param>
/// <param name="Duplicates">Rows skipped as duplicates (never stored, never an error).</param>
/// <param name="AllOrNothing">Whether one bad row refused the whole file.</param>
/// <param name="Errors">The rejected rows (at most <see cref="NumbersImport.MaxReported"/>).</param>
/// <param name="DuplicateRows">The skipped rows (at most <see cref="NumbersImport.MaxReported"/>).</param>
/// <param name="Truncated">True when there were more rejected or skipped rows than listed.</param>
public sealed record ImportReport(int Rows, int Imported, int Rejected, int Duplicates, bool AllOrNothing,
    IReadOnlyList<ImportRejection> Errors, IReadOnlyList<ImportDuplicate> DuplicateRows, bool Truncated);

/// <summary>
/// Import of rules from CSV (see <see cref="NumbersCsv"/>) or JSON (an array of <see cref="RuleInput"/>):
/// reads the upload within its limits, validates every row the way create does
/// (<see cref="BlackListService.Build"/>), skips rules that exist already, stores the good rows in one
/// transaction through <see cref="BlackListService.AddRangeAsync"/> (so the index follows) and reports
/// the rest row by row.
/// </summary>
public sealed class NumbersImport(BlackListService blackList, BlackListDbContext db)
{
    /// <summary>The largest upload accepted.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The most rows one import may hold.</summary>
    public const int MaxRows = 100_000;

    /// <summary>How many rejected (and, separately, skipped) rows the report lists; the counts are always complete.</summary>
    public const int MaxReported = 1_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The upload's format.</summary>
    public enum Format
    {
        /// <summary>Comma-separated values with a header row.</summary>
        Csv,

        /// <summary>A JSON array of rules.</summary>
        Json,
    }

    /// <summary>
    /// Reads the upload: the body as <c>text/csv</c> or <c>application/json</c>, or the first file of a
    /// <c>multipart/form-data</c> form; <paramref name="format"/> (csv, json) overrides what the
    /// content type or file name says.
    /// </summary>
    /// <exception cref="ImportFormatException">The format cannot be told, or the upload is not CSV/JSON as a whole.</exception>
    /// <exception cref="ImportTooLargeException">Over <see cref="MaxBytes"/> or <see cref="MaxRows"/>.</exception>
    public static async Task<(List<ImportRow> Rows, List<string> Warnings)> ReadAsync(HttpRequest request, string? format, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes) throw TooLarge();
        Format? wanted = format?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "csv" => Format.Csv,
            "json" => Format.Json,
            _ => throw new ImportFormatException($"format must be csv or json; got '{format}'."),
        };

        Stream content;
        string? contentType;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.FirstOrDefault() ?? throw new ImportFormatException("The form holds no file: send the CSV or JSON file as a form field of type file.");
            if (file.Length > MaxBytes) throw TooLarge();
            content = file.OpenReadStream();
            contentType = file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json"
                : file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv"
                : file.ContentType;
        }
        else
        {
            content = request.Body;
            contentType = request.ContentType;
        }

        await using (content)
        {
            var kind = wanted ?? FormatOf(contentType)
                ?? throw new ImportFormatException($"Cannot tell the format from content type '{contentType}': send text/csv or application/json, or add ?format=csv or ?format=json.", unsupportedMediaType: true);
            using var buffer = await BufferAsync(content, cancellationToken);
            return kind == Format.Csv ? NumbersCsv.Read(buffer, MaxRows) : (ReadJson(buffer), []);
        }
    }

    /// <summary>Validates, de-duplicates and (unless all-or-nothing refuses) stores the rows.</summary>
    /// <returns>The report, and whether anything was stored.</returns>
    public async Task<(ImportReport Report, bool Refused)> RunAsync(List<ImportRow> rows, bool allOrNothing, CancellationToken cancellationToken)
    {
        var rejected = new List<ImportRejection>();
        var rejectedCount = 0;
        var good = new List<(ImportRow Row, BlackListNumbers Rule, string Key)>(rows.Count);
        foreach (var row in rows)
        {
            var errors = row.Errors;
            BlackListNumbers? rule = null;
            if (row.Input is not null)
            {
                var (built, buildErrors) = blackList.Build(row.Input, "import");
                rule = built;
                if (buildErrors is not null)
                {
                    errors ??= [];
                    foreach (var (field, messages) in buildErrors) errors.TryAdd(field, messages);
                }
            }
            if (errors is not null || rule is null)
            {
                rejectedCount++;
                if (rejected.Count < MaxReported) rejected.Add(new ImportRejection(row.Row, row.Number, errors ?? new() { ["row"] = ["could not be read."] }));
                continue;
            }
            good.Add((row, rule, RuleScope.Key(rule)));
        }

        // Same rule stored already, or earlier in this file: skipped and reported, never an error.
        var existing = await ExistingKeysAsync(good.Select(g => g.Rule.Normalized).Distinct().ToList(), cancellationToken);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<ImportDuplicate>();
        var duplicateCount = 0;
        var toStore = new List<BlackListNumbers>(good.Count);
        foreach (var (row, rule, key) in good)
        {
            ImportDuplicate? duplicate = existing.TryGetValue(key, out var id) ? new ImportDuplicate(row.Row, row.Number, id, null)
                : seen.TryGetValue(key, out var earlier) ? new ImportDuplicate(row.Row, row.Number, null, earlier)
                : null;
            if (duplicate is null)
            {
                seen[key] = row.Row;
                toStore.Add(rule);
                continue;
            }
            duplicateCount++;
            if (duplicates.Count < MaxReported) duplicates.Add(duplicate);
        }

        var refused = allOrNothing && rejectedCount > 0;
        if (!refused && toStore.Count > 0) await blackList.AddRangeAsync(toStore, cancellationToken);
        var truncated = rejectedCount > rejected.Count || duplicateCount > duplicates.Count;
        return (new ImportReport(rows.Count, refused ? 0 : toStore.Count, rejectedCount, duplicateCount, allOrNothing, rejected, duplicates, truncated), refused);
    }

    private async Task<Dictionary<string, int>> ExistingKeysAsync(List<string> normalized, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        // In chunks: one query per few thousand numbers keeps each statement's parameter small.
        foreach (var chunk in normalized.Chunk(5_000))
        {
            var rules = await db.Numbers.AsNoTracking()
                .Where(n => chunk.Contains(n.Normalized))
                .Select(n => new BlackListNumbers { Id = n.Id, Normalized = n.Normalized, IsPrefix = n.IsPrefix, Kind = n.Kind, Scope = n.Scope })
                .ToListAsync(cancellationToken);
            foreach (var rule in rules) keys.TryAdd(RuleScope.Key(rule), rule.Id);
        }
        return keys;
    }

    private static List<ImportRow> ReadJson(Stream stream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ImportFormatException($"The body is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new ImportFormatException("The JSON body must be an array of rules, e.g. [{\"number\":\"+18005550100\",\"description\":\"spam\"}].");
            if (document.RootElement.GetArrayLength() > MaxRows)
                throw new ImportTooLargeException(string.Create(CultureInfo.InvariantCulture, $"The array has more than {MaxRows:N0} rules; split it into smaller files."));
            var rows = new List<ImportRow>(document.RootElement.GetArrayLength());
            var position = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                position++;
                var number = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    rows.Add(new ImportRow(position, null, null, new() { ["row"] = [$"must be an object with at least a number; got {element.ValueKind}."] }));
                    continue;
                }
                try
                {
                    rows.Add(new ImportRow(position, number, element.Deserialize<RuleInput>(Json), null));
                }
                catch (JsonException ex)
                {
                    // A wrong type or an unknown kind spoils only this row.
                    var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "row";
                    rows.Add(new ImportRow(position, number, null, new() { [field] = [$"has the wrong type or value ({FirstSentence(ex.Message)})"] }));
                }
            }
            return rows;
        }
    }

    private static async Task<MemoryStream> BufferAsync(Stream content, CancellationToken cancellationToken)
    {
        // Read whole (bounded) before parsing: CsvHelper and JsonDocument read synchronously, which
        // Kestrel forbids on the request body, and a row count limit needs the whole file anyway.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static Format? FormatOf(string? contentType)
    {
        var type = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            "application/json" or "text/json" => Format.Json,
            "text/csv" or "application/csv" or "text/plain" or "application/vnd.ms-excel" => Format.Csv,
            _ when type is not null && type.EndsWith("+json", StringComparison.Ordinal) => Format.Json,
            _ => null,
        };
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }

    private static ImportTooLargeException TooLarge() => new($"The upload is larger than {MaxBytes / (1024 * 1024)} MB; split it into smaller files.");
}
