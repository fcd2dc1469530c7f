using System.Text;
using Microsoft.AspNetCore.Http;
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
    public void Rows_are_read_by_header_name_in_any_case_and_order_with_their_line_numbers()
    {
        var (rows, warnings) = Read(
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
    public void Unreadable_fields_are_errors_of_their_row_by_field()
    {
        var (rows, _) = Read("number,kind,expiresAt,enabled\n+18005550100,Sometimes,next week,perhaps\n+18005550101,1,,\n");
        var errors = rows[0].Errors!;
        Assert.Equal(["enabled", "expiresAt", "kind"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("+18005550100", rows[0].Number);
        // An enum's number is not a kind.
        Assert.True(rows[1].Errors!.ContainsKey("kind"));
    }

    [Fact]
    public void A_row_with_broken_quoting_is_rejected_and_the_rows_around_it_are_read()
    {
        var (rows, _) = Read("number,description\n+18005550100,fine\n+18005550101,bro\"ken\n+18005550102,also fine\n");
        Assert.Equal(3, rows.Count);
        Assert.Null(rows[0].Errors);
        Assert.True(rows[1].Errors!.ContainsKey("row"));
        Assert.Null(rows[1].Input);
        Assert.Null(rows[2].Errors);
        Assert.Equal("+18005550102", rows[2].Input!.Number);
    }

    [Fact]
    public void A_file_without_a_number_column_or_without_anything_is_refused_as_a_whole()
    {
        var noNumber = Assert.Throws<ImportFormatException>(() => Read("phone,description\n+18005550100,x\n"));
        Assert.Contains("'number'", noNumber.Message, StringComparison.Ordinal);
        Assert.Throws<ImportFormatException>(() => Read(""));
    }

    [Fact]
    public void More_rows_than_the_limit_are_refused()
    {
        var csv = "number\n" + string.Concat(Enumerable.Range(0, 11).Select(i => $"+1800555{i:0000}\n"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        Assert.Throws<ImportTooLargeException>(() => NumbersCsv.Read(stream, maxRows: 10));
        stream.Position = 0;
        Assert.Equal(11, NumbersCsv.Read(stream, maxRows: 11).Rows.Count);
    }

    [Fact]
    public async Task What_the_export_writes_the_import_reads_back_unchanged()
    {
        var rules = new[]
        {
            new BlackListNumbers { Number = "+1 (800) 555-0100", Description = "quote \" and, comma\nand a line break", Kind = RuleKind.Block, Enabled = true },
            new BlackListNumbers { Number = "+7495*", Description = "", Kind = RuleKind.Allow, Enabled = false, Scope = "12125550000,12125550001", ExpiresAt = new DateTime(2099, 6, 30, 12, 0, 0, DateTimeKind.Unspecified) },
            new BlackListNumbers { Number = "=HYPERLINK(\"x\")", Description = "-starts like a formula" },
        };
        using var stream = new MemoryStream();
        await NumbersCsv.WriteAsync(stream, rules.ToAsyncEnumerable(), CancellationToken.None);
        Assert.StartsWith("number,description,kind,expiresAt,scope,enabled\r\n", Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);

        stream.Position = 0;
        var (rows, warnings) = NumbersCsv.Read(stream, 100);
        Assert.Empty(warnings);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Null(r.Errors));
        for (var i = 0; i < rules.Length; i++)
        {
            var input = rows[i].Input!;
            Assert.Equal(rules[i].Number, input.Number);
            Assert.Equal(rules[i].Description, input.Description ?? "");
            Assert.Equal(rules[i].Kind, input.Kind);
            Assert.Equal(rules[i].Enabled, input.Enabled);
            Assert.Equal(rules[i].Scope.Split(',', StringSplitOptions.RemoveEmptyEntries), input.Scope ?? []);
            Assert.Equal(rules[i].ExpiresAt is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : null, input.ExpiresAt);
        }
    }

    [Fact]
    public async Task An_upload_over_10_MB_is_refused_whether_or_not_it_says_its_length()
    {
        var declared = Request("text/csv", new MemoryStream([1]), contentLength: NumbersImport.MaxBytes + 1L);
        await Assert.ThrowsAsync<ImportTooLargeException>(() => NumbersImport.ReadAsync(declared, null, CancellationToken.None));

        var big = new byte[NumbersImport.MaxBytes + 1];
        var undeclared = Request("text/csv", new MemoryStream(big), contentLength: null);
        await Assert.ThrowsAsync<ImportTooLargeException>(() => NumbersImport.ReadAsync(undeclared, null, CancellationToken.None));
    }

    [Fact]
    public async Task The_format_comes_from_the_content_type_or_the_format_parameter_and_an_unknown_type_is_unsupported()
    {
        var unknown = await Assert.ThrowsAsync<ImportFormatException>(() => NumbersImport.ReadAsync(Request("image/png", "number\n+18005550100\n"), null, CancellationToken.None));
        Assert.True(unknown.UnsupportedMediaType);

        var (csvRows, _) = await NumbersImport.ReadAsync(Request("application/octet-stream", "number\n+18005550100\n"), "csv", CancellationToken.None);
        Assert.Equal("+18005550100", Assert.Single(csvRows).Input!.Number);

        var bad = await Assert.ThrowsAsync<ImportFormatException>(() => NumbersImport.ReadAsync(Request("text/csv", "x"), "xml", CancellationToken.None));
        Assert.False(bad.UnsupportedMediaType);
    }

    [Fact]
    public async Task JSON_rows_are_read_one_by_one_so_a_bad_row_spoils_only_itself()
    {
        const string json = """
            [
              { "number": "+18005550100", "kind": "allow", "scope": ["+12125550000"], "expiresAt": "2099-01-01T00:00:00Z" },
              { "number": "+18005550101", "kind": "Never" },
              42,
              { "number": "+18005550102", "enabled": "yes" },
            ]
            """;
        var (rows, _) = await NumbersImport.ReadAsync(Request("application/json; charset=utf-8", json), null, CancellationToken.None);
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.Row));
        Assert.Null(rows[0].Errors);
        Assert.Equal(RuleKind.Allow, rows[0].Input!.Kind);
        Assert.Equal(["+12125550000"], rows[0].Input!.Scope!);
        Assert.True(rows[1].Errors!.ContainsKey("kind"));
        Assert.Equal("+18005550101", rows[1].Number);
        Assert.True(rows[2].Errors!.ContainsKey("row"));
        Assert.True(rows[3].Errors!.ContainsKey("enabled"));

        await Assert.ThrowsAsync<ImportFormatException>(() => NumbersImport.ReadAsync(Request("application/json", """{ "number": "+18005550100" }"""), null, CancellationToken.None));
        await Assert.ThrowsAsync<ImportFormatException>(() => NumbersImport.ReadAsync(Request("application/json", "[{"), null, CancellationToken.None));
    }

    private static (List<ImportRow> Rows, List<string> Warnings) Read(string csv)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return NumbersCsv.Read(stream, NumbersImport.MaxRows);
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
