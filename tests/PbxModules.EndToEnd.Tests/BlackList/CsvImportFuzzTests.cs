using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// Property-based fuzzing of the CSV import through its public surface, <c>POST …/numbers:import</c> with
/// <c>text/csv</c>, on the real daemon (docs/RELIABILITY.md, "CSV import fuzzing"): whatever the file
/// holds (broken quoting, odd headers, stray delimiters, formulas, invalid UTF-8, huge fields), the answer
/// is a report or a refusal in the API's envelope, never a 5xx, and the daemon keeps answering. Written
/// against the endpoint, not the reader's types, so that it holds however the import reads its input.
/// </summary>
public sealed class CsvImportFuzzTests(BlackListRestDaemon fixture) : IClassFixture<BlackListRestDaemon>
{
    /// <summary>Files posted per run (each one request; shrinking reruns come on top when one fails).</summary>
    public const int Cases = 300;

    private const string Import = "/pbxcore/api/v3/module-black-list/numbers:import";

    private static readonly HashSet<HttpStatusCode> Answers =
        [HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnprocessableEntity];

    private static readonly string[] Headers =
    [
        "number", "number,description", "number,description,kind,expiresAt,scope,enabled", "Number;Description", "description,number",
        "number,number", "", "\ufeffnumber,description", "phone", "number,\"desc\"\"ription\"", "number,,", "\"number", "number\tdescription",
    ];

    private static readonly string[] Cells =
    [
        "+1 303 555 0101", "13035550102", "0912345678", "call me", "", " ", "\"\"", "\"quoted, comma\"", "\"unterminated", "a\"b",
        "\"multi\nline\"", "=cmd|' /C calc'!A0", "+SUM(A1)", "-1", "@x", "\t=1", "=HYPERLINK(\"http://x\")", "Block", "Allow", "Sometimes",
        "2099-01-01T00:00:00Z", "2001-01-01", "not a date", "true", "false", "maybe", "+1 212 555 0000;+1 212 555 0001", "*", "555*",
        "é", "🎧", "\u0000", new string('9', 400), new string('x', 5000), "1e308", "-0",
    ];

    private static readonly Gen<string> Row = Gen.OneOf(Cells).Array[0, 8]
        .Select(Gen.OneOf(",", ";", "\t", ", "), (cells, separator) => string.Join(separator, cells));

    private static readonly Gen<byte[]> Files = Gen.Select(Gen.OneOf(Headers), Row.Array[0, 30], Gen.OneOf("\n", "\r\n", "\r"), Gen.Byte.Array[0, 6], Gen.Int[0, 3])
        .Select((header, rows, eol, stray, where) =>
        {
            var text = Encoding.UTF8.GetBytes(header + eol + string.Join(eol, rows));
            // Stray bytes (invalid UTF-8 among them) at the start, the middle or the end, or none.
            return where switch
            {
                0 => text,
                1 => [.. stray, .. text],
                2 => [.. text[..(text.Length / 2)], .. stray, .. text[(text.Length / 2)..]],
                _ => [.. text, .. stray],
            };
        });

    [Fact]
    public async Task Any_CSV_file_gets_a_report_or_a_refusal_never_a_server_error()
    {
        var http = fixture.Daemon.Http;
        await Task.Run(() => Files.Select(Gen.Bool).Sample((file, allOrNothing) =>
        {
            using var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
            using var response = http.PostAsync($"{Import}?allOrNothing={(allOrNothing ? "true" : "false")}", content).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!Answers.Contains(response.StatusCode)) throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
            using var envelope = JsonDocument.Parse(body);
            if (!envelope.RootElement.TryGetProperty("success", out var success) || success.GetBoolean() != (response.StatusCode == HttpStatusCode.OK))
                throw new InvalidOperationException($"not the API's envelope: {body}");
        }, iter: Cases, threads: 2)).WaitAsync(TimeSpan.FromMinutes(5));

        using var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
