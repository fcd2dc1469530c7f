using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;

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
/// Import of rules from CSV (see <see cref="NumbersCsv"/>) or JSON (an array of <see cref="RuleInput"/>),
/// streamed: rows are read from the request body as it arrives, validated the way create does
/// (<see cref="BlackListService.Build"/>), checked against the stored list a batch at a time, and
/// written <see cref="BatchSize"/> at a time with change tracking off and the tracker cleared after
/// each batch, all in one transaction. Memory stays bounded by a batch plus the report's
/// <see cref="MaxReported"/> rows and the keys seen so far, whatever the size of the file.
/// </summary>
/// <remarks>
/// One transaction rather than one per batch: a file refused part-way (over <see cref="MaxRows"/> or
/// <see cref="MaxBytes"/>, broken JSON, an unclosed quote) or refused by all-or-nothing stores
/// nothing, as the API promises. The index follows once the transaction is committed.
/// </remarks>
public sealed class NumbersImport(BlackListService blackList, BlackListDbContext db, IOptionsMonitor<BlackListOptions> options)
{
    /// <summary>The largest upload accepted.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The most rows one import may hold: <see cref="BlackListOptions.MaxImportRows"/>.</summary>
    public int MaxRows => options.CurrentValue.MaxImportRows;

    /// <summary>How many rejected (and, separately, skipped) rows the report lists; the counts are always complete.</summary>
    public const int MaxReported = 1_000;

    /// <summary>How many rules are written (and checked against the stored list) at a time.</summary>
    public const int BatchSize = 1_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The upload's format.</summary>
    public enum Format
    {
        /// <summary>Comma-separated values with a header row.</summary>
        Csv,

        /// <summary>A JSON array of rules.</summary>
        Json,
    }

    /// <summary>
    /// Reads the upload as it arrives, validates, de-duplicates and (unless all-or-nothing refuses)
    /// stores the rows: the body as <c>text/csv</c> or <c>application/json</c>, or the first file of
    /// a <c>multipart/form-data</c> form; <paramref name="format"/> (csv, json) overrides what the
    /// content type or file name says.
    /// </summary>
    /// <returns>The report, the warnings about the file, and whether all-or-nothing refused it.</returns>
    /// <exception cref="ImportFormatException">The format cannot be told, or the upload is not CSV/JSON as a whole.</exception>
    /// <exception cref="ImportTooLargeException">Over <see cref="MaxBytes"/> or <see cref="MaxRows"/>.</exception>
    /// <exception cref="CsvFormatException">The CSV cannot be read on (a record over 64 KB).</exception>
    public async Task<(ImportReport Report, List<string> Warnings, bool Refused)> RunAsync(HttpRequest request, string? format, bool allOrNothing, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var (content, kind) = await OpenAsync(request, format, cancellationToken);
        await using (content)
        {
            var rows = kind == Format.Csv ? NumbersCsv.ReadAsync(content, warnings, cancellationToken) : ReadJsonAsync(content, cancellationToken);
            var (report, refused) = await RunAsync(rows, allOrNothing, cancellationToken);
            return (report, warnings, refused);
        }
    }

    /// <summary>Validates, de-duplicates and (unless all-or-nothing refuses) stores the rows, a batch at a time, in one transaction.</summary>
    /// <returns>The report, and whether all-or-nothing refused the file.</returns>
    /// <exception cref="ImportTooLargeException">More than <see cref="MaxRows"/> rows: nothing is stored.</exception>
    public async Task<(ImportReport Report, bool Refused)> RunAsync(IAsyncEnumerable<ImportRow> rows, bool allOrNothing, CancellationToken cancellationToken)
    {
        var maxRows = MaxRows;
        var run = new Run(allOrNothing);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new List<(ImportRow Row, BlackListNumbers Rule, string Key)>(BatchSize);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (++run.Rows > maxRows) throw new ImportTooLargeException(string.Create(CultureInfo.InvariantCulture, $"The file has more than {maxRows:N0} rules; split it into smaller files."));
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
                run.Reject(new ImportRejection(row.Row, row.Number, errors ?? new() { ["row"] = ["could not be read."] }));
                continue;
            }
            batch.Add((row, rule, RuleScope.Key(rule)));
            if (batch.Count == BatchSize) await FlushAsync(batch, run, cancellationToken);
        }
        await FlushAsync(batch, run, cancellationToken);

        var refused = run.Refused;
        if (!refused)
        {
            await transaction.CommitAsync(cancellationToken);
            blackList.Indexed(run.Stored);
        }
        var truncated = run.RejectedCount > run.Rejected.Count || run.DuplicateCount > run.Duplicates.Count;
        return (new ImportReport(run.Rows, refused ? 0 : run.Stored.Count, run.RejectedCount, run.DuplicateCount, allOrNothing, run.Rejected, run.Duplicates, truncated), refused);
    }

    /// <summary>Skips the batch's duplicates (stored already, or earlier in this file) and writes the rest, unless the file is refused already.</summary>
    private async Task FlushAsync(List<(ImportRow Row, BlackListNumbers Rule, string Key)> batch, Run run, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        var existing = await ExistingKeysAsync([.. batch.Select(g => g.Rule.Normalized).Distinct()], cancellationToken);
        var toStore = new List<BlackListNumbers>(batch.Count);
        foreach (var (row, rule, key) in batch)
        {
            // Earlier in this file first: an earlier batch of this import is in the database already.
            ImportDuplicate? duplicate = run.Seen.TryGetValue(key, out var earlier) ? new ImportDuplicate(row.Row, row.Number, null, earlier)
                : existing.TryGetValue(key, out var id) ? new ImportDuplicate(row.Row, row.Number, id, null)
                : null;
            if (duplicate is null)
            {
                run.Seen[key] = row.Row;
                toStore.Add(rule);
            }
            else run.Duplicate(duplicate);
        }
        batch.Clear();
        // All-or-nothing with a bad row: nothing will be committed, so nothing more is written; the
        // rest of the file is still read for the report.
        if (run.Refused || toStore.Count == 0) return;
        db.Numbers.AddRange(toStore);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        // What the index needs, without the description: the index keeps the same strings.
        foreach (var rule in toStore)
            run.Stored.Add(new BlackListNumbers { Id = rule.Id, Number = rule.Number, Normalized = rule.Normalized, IsPrefix = rule.IsPrefix, Kind = rule.Kind, Enabled = rule.Enabled, ExpiresAt = rule.ExpiresAt, Scope = rule.Scope });
    }

    private async Task<Dictionary<string, int>> ExistingKeysAsync(List<string> normalized, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var rules = await db.Numbers.AsNoTracking()
            .Where(n => normalized.Contains(n.Normalized))
            .Select(n => new BlackListNumbers { Id = n.Id, Normalized = n.Normalized, IsPrefix = n.IsPrefix, Kind = n.Kind, Scope = n.Scope })
            .ToListAsync(cancellationToken);
        foreach (var rule in rules) keys.TryAdd(RuleScope.Key(rule), rule.Id);
        return keys;
    }

    /// <summary>The upload's content, limited to <see cref="MaxBytes"/>, and its format.</summary>
    private static async Task<(Stream Content, Format Kind)> OpenAsync(HttpRequest request, string? format, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes) throw TooLarge();
        Format? wanted = format?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "csv" => Format.Csv,
            "json" => Format.Json,
            _ => throw new ImportFormatException($"format must be csv or json; got '{format}'."),
        };

        Stream content = new LimitedReadStream(request.Body, MaxBytes, TooLarge);
        var contentType = request.ContentType;
        if (request.HasFormContentType)
        {
            // The first file of the form, read from the body as it arrives (not buffered by ReadFormAsync).
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) throw new ImportFormatException("The multipart form has no boundary.");
            var reader = new MultipartReader(boundary, content);
            MultipartSection? section;
            FileMultipartSection? file = null;
            while (file is null && (section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
                file = section.AsFileSection();
            if (file?.FileStream is null) throw new ImportFormatException("The form holds no file: send the CSV or JSON file as a form field of type file.");
            contentType = file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json"
                : file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv"
                : file.Section.ContentType;
            content = file.FileStream;
        }

        var kind = wanted ?? FormatOf(contentType)
            ?? throw new ImportFormatException($"Cannot tell the format from content type '{contentType}': send text/csv or application/json, or add ?format=csv or ?format=json.", unsupportedMediaType: true);
        return (content, kind);
    }

    /// <summary>The elements of a JSON array, one at a time as the body arrives.</summary>
    private static async IAsyncEnumerable<ImportRow> ReadJsonAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        await RequireArrayAsync(pipe, cancellationToken);
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(pipe.AsStream(leaveOpen: true), Json, cancellationToken);
        await using var enumerator = elements.GetAsyncEnumerator(cancellationToken);
        var position = 0;
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync()) break;
            }
            catch (JsonException ex)
            {
                throw new ImportFormatException($"The body is not valid JSON: {ex.Message}");
            }
            position++;
            yield return JsonRow(position, enumerator.Current);
        }
    }

    private static ImportRow JsonRow(int position, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return new ImportRow(position, null, null, new() { ["row"] = [$"must be an object with at least a number; got {element.ValueKind}."] });
        string? number = null;
        try
        {
            number = element.TryGetProperty("number", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return new ImportRow(position, number, element.Deserialize<RuleInput>(Json), null);
        }
        catch (JsonException ex)
        {
            // A wrong type or an unknown kind spoils only this row.
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "row";
            return new ImportRow(position, number, null, new() { [field] = [$"has the wrong type or value ({FirstSentence(ex.Message)})"] });
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8 (System.Text.Json refuses to transcode it): this row only.
            return new ImportRow(position, number, null, new() { ["row"] = ["is not valid UTF-8; save the file as UTF-8 and import this row again."] });
        }
    }

    /// <summary>Refuses a body whose first value is not an array, before anything is read as a row.</summary>
    private static async Task RequireArrayAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            reader.IsNext([0xEF, 0xBB, 0xBF], advancePast: true);
            reader.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r', (byte)'\n');
            if (reader.TryPeek(out var first))
            {
                pipe.AdvanceTo(buffer.Start);
                if (first == (byte)'[') return;
                throw new ImportFormatException("The JSON body must be an array of rules, e.g. [{\"number\":\"+18005550100\",\"description\":\"spam\"}].");
            }
            if (result.IsCompleted) throw new ImportFormatException("The body is empty: send a JSON array of rules.");
            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
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

    /// <summary>What one import has counted and kept so far.</summary>
    private sealed class Run(bool allOrNothing)
    {
        public int Rows;
        public int RejectedCount;
        public int DuplicateCount;
        public List<ImportRejection> Rejected { get; } = [];
        public List<ImportDuplicate> Duplicates { get; } = [];
        public Dictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);
        public List<BlackListNumbers> Stored { get; } = [];

        public bool Refused => allOrNothing && RejectedCount > 0;

        public void Reject(ImportRejection rejection)
        {
            RejectedCount++;
            if (Rejected.Count < MaxReported) Rejected.Add(rejection);
        }

        public void Duplicate(ImportDuplicate duplicate)
        {
            DuplicateCount++;
            if (Duplicates.Count < MaxReported) Duplicates.Add(duplicate);
        }
    }
}
