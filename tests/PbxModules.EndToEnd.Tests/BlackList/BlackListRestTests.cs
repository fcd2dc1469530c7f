using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.BlackList;

/// <summary>
/// One daemon with only ModuleBlackList installed (Development: loopback trusted, no Asterisk), for
/// <see cref="BlackListRestTests"/>. The tests share it and run one at a time; each uses its own
/// numbers and descriptions, so none depends on another's rules.
/// </summary>
public sealed class BlackListRestDaemon : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The import's row limit on this daemon (<c>Modules:module-black-list:MaxImportRows</c>): above the
    /// largest import these tests make (5 000 rules), far below the default 100 000, so that refusing a
    /// file over the limit (found only when its extra row is read, after the rows before it are stored
    /// in the transaction and rolled back) takes seconds and does not hold the database for minutes.
    /// </summary>
    public const int MaxImportRows = 6_000;

    private PbxDaemon? _daemon;

    internal PbxDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public string Root { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Root = Directory.CreateTempSubdirectory("pbxmodules-e2e-blrest-").FullName;
        var modules = ModuleFolders.Install(Root);
        _daemon = await TestDaemon.StartAsync(Root, new Dictionary<string, string>
        {
            ["Paths:Modules"] = modules,
            ["Modules:module-black-list:MaxImportRows"] = MaxImportRows.ToString(CultureInfo.InvariantCulture),
        });
        await BlackListRest.WaitForModuleAsync(_daemon.Http);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// REST: <c>/pbxcore/api/v3/module-black-list/…</c> through the real daemon — numbers CRUD
/// with pagination, search and filters; validation and conflicts; import (CSV, JSON) with its report;
/// export round-trip; the check endpoint with normalisation; a REST change seen by the next AGI call;
/// the call log and statistics of a blocked call; settings.
/// </summary>
public sealed class BlackListRestTests(BlackListRestDaemon fixture) : IClassFixture<BlackListRestDaemon>
{
    private const string Numbers = "/pbxcore/api/v3/module-black-list/numbers";
    private HttpClient Http => fixture.Daemon.Http;

    [Fact]
    public async Task Numbers_are_created_listed_a_page_at_a_time_searched_filtered_read_updated_patched_and_deleted()
    {
        // 25 rules sharing a description word: 3 pages of 10.
        var ids = new List<int>();
        for (var i = 0; i < 25; i++)
        {
            var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = $"+1 (212) 555-{1000 + i}", description = $"crudpage {i}" });
            Assert.True(status == HttpStatusCode.Created, body.ToString());
            Assert.Equal(201, body.GetProperty("httpCode").GetInt32());
            ids.Add(body.GetProperty("data").GetProperty("id").GetInt32());
        }

        var (_, first) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=crudpage&limit=10&offset=0");
        Assert.Equal(10, first.GetProperty("data").GetArrayLength());
        Assert.Equal(25, first.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.True(first.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal(ids[0], first.GetProperty("data")[0].GetProperty("id").GetInt32());

        var (_, last) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=crudpage&limit=10&offset=20");
        Assert.Equal(5, last.GetProperty("data").GetArrayLength());
        Assert.False(last.GetProperty("pagination").GetProperty("hasMore").GetBoolean());

        // Descending by number; the canonical form is searchable by digits however the rule was written.
        var (_, descending) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=crudpage&order=-number&limit=1");
        Assert.Equal("+1 (212) 555-1024", descending.GetProperty("data")[0].GetProperty("number").GetString());
        var (_, byDigits) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=2125551007");
        var found = Assert.Single(byDigits.GetProperty("data").EnumerateArray());
        Assert.Equal("12125551007", found.GetProperty("normalized").GetString());
        Assert.Equal("Block", found.GetProperty("kind").GetString());
        Assert.Equal("rest", found.GetProperty("source").GetString());

        // Unknown order field and kind: 422 naming the field.
        var (badOrder, badOrderBody) = await BlackListRest.GetAsync(Http, $"{Numbers}?order=colour");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badOrder);
        Assert.True(badOrderBody.GetProperty("messages").GetProperty("fields").TryGetProperty("order", out _));
        var (badKind, badKindBody) = await BlackListRest.GetAsync(Http, $"{Numbers}?kind=Maybe");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badKind);
        Assert.True(badKindBody.GetProperty("messages").GetProperty("fields").TryGetProperty("kind", out _));

        // getRecord, and 404 for an id that does not exist.
        var (got, record) = await BlackListRest.GetAsync(Http, $"{Numbers}/{ids[3]}");
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.Equal("crudpage 3", record.GetProperty("data").GetProperty("description").GetString());
        var (missing, _) = await BlackListRest.GetAsync(Http, $"{Numbers}/987654");
        Assert.Equal(HttpStatusCode.NotFound, missing);

        // update (PUT) replaces the rule: an allow rule now, scoped to one route.
        var (updated, updatedBody) = await BlackListRest.SendAsync(Http, HttpMethod.Put, $"{Numbers}/{ids[3]}",
            new { number = "+1 212 555 2003", description = "crudpage updated", kind = "Allow", scope = new[] { "+1 (212) 555-0000" } });
        Assert.True(updated == HttpStatusCode.OK, updatedBody.ToString());
        var updatedRule = updatedBody.GetProperty("data");
        Assert.Equal("12125552003", updatedRule.GetProperty("normalized").GetString());
        Assert.Equal("Allow", updatedRule.GetProperty("kind").GetString());
        Assert.Equal("12125550000", Assert.Single(updatedRule.GetProperty("scope").EnumerateArray()).GetString());
        var (updateMissing, _) = await BlackListRest.SendAsync(Http, HttpMethod.Put, $"{Numbers}/987654", new { number = "+1 212 555 2999" });
        Assert.Equal(HttpStatusCode.NotFound, updateMissing);

        // Filters: kind and enabled.
        var (_, allows) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=crudpage&kind=Allow");
        Assert.Equal(ids[3], Assert.Single(allows.GetProperty("data").EnumerateArray()).GetProperty("id").GetInt32());

        // patch: only the fields sent change; an explicit null expiry makes the rule permanent again.
        var expires = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var (patched, patchedBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, $"{Numbers}/{ids[5]}", new { enabled = false, expiresAt = expires });
        Assert.True(patched == HttpStatusCode.OK, patchedBody.ToString());
        Assert.False(patchedBody.GetProperty("data").GetProperty("enabled").GetBoolean());
        Assert.Equal("crudpage 5", patchedBody.GetProperty("data").GetProperty("description").GetString());
        Assert.Equal(expires, patchedBody.GetProperty("data").GetProperty("expiresAt").GetDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var (_, permanent) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, $"{Numbers}/{ids[5]}", JsonDocument.Parse("{\"expiresAt\":null}").RootElement);
        Assert.Equal(JsonValueKind.Null, permanent.GetProperty("data").GetProperty("expiresAt").ValueKind);
        Assert.False(permanent.GetProperty("data").GetProperty("enabled").GetBoolean());
        var (_, disabled) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=crudpage&enabled=false");
        Assert.Equal(ids[5], Assert.Single(disabled.GetProperty("data").EnumerateArray()).GetProperty("id").GetInt32());
        var (pastPatch, pastPatchBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, $"{Numbers}/{ids[5]}", new { expiresAt = "2020-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, pastPatch);
        Assert.True(pastPatchBody.GetProperty("messages").GetProperty("fields").TryGetProperty("expiresAt", out _));

        // delete: gone, and a second delete is a 404.
        var (deleted, _) = await BlackListRest.SendAsync(Http, HttpMethod.Delete, $"{Numbers}/{ids[0]}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await BlackListRest.GetAsync(Http, $"{Numbers}/{ids[0]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BlackListRest.SendAsync(Http, HttpMethod.Delete, $"{Numbers}/{ids[0]}")).Status);
        var (_, after) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=crudpage");
        Assert.Equal(24, after.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_rule_that_does_not_validate_is_a_422_with_field_messages_and_a_repeated_rule_a_409()
    {
        async Task<JsonElement> FieldsAsync(object body)
        {
            var (status, response) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, body);
            Assert.True(status == HttpStatusCode.UnprocessableEntity, response.ToString());
            Assert.False(response.GetProperty("success").GetBoolean());
            return response.GetProperty("messages").GetProperty("fields");
        }

        Assert.True((await FieldsAsync(new { description = "no number" })).TryGetProperty("number", out _));
        Assert.True((await FieldsAsync(new { number = "call me maybe" })).TryGetProperty("number", out _));
        Assert.True((await FieldsAsync(new { number = "+7*495*" })).TryGetProperty("number", out _));
        Assert.True((await FieldsAsync(new { number = "+1 212 555 3001", expiresAt = "2020-01-01T00:00:00Z" })).TryGetProperty("expiresAt", out _));
        Assert.True((await FieldsAsync(new { number = "+1 212 555 3001", scope = new[] { "front desk" } })).TryGetProperty("scope", out _));
        Assert.True((await FieldsAsync(new { number = "+1 212 555 3001", description = new string('x', 501) })).TryGetProperty("description", out _));

        // The same rule written differently is the same rule: 409. Another kind or scope is not.
        var (created, _) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "+1 (212) 555-3002", description = "dup" });
        Assert.Equal(HttpStatusCode.Created, created);
        var (again, againBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "12125553002" });
        Assert.True(again == HttpStatusCode.Conflict, againBody.ToString());
        Assert.Contains("already", againBody.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "12125553002", kind = "Allow" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "12125553002", scope = new[] { "2125550000" } })).Status);
    }

    [Fact]
    public async Task A_CSV_import_with_bad_rows_reports_each_row_stores_nothing_when_all_or_nothing_and_the_good_rows_otherwise()
    {
        var csv = """
            number,description,kind,expiresAt,scope
            +1 (303) 555-0101,csvimport good one,,,
            call me,csvimport bad number,,,
            +1 303 555 0102,csvimport bad kind,Sometimes,,
            +1 303 555 0103,"csvimport quoted, with comma",Allow,2099-01-01T00:00:00Z,+1 212 555 0000;+1 212 555 0001
            +1 303 555 0104,csvimport past,,2001-01-01,
            13035550101,csvimport same as line 2,,,
            """;

        // All or nothing: one bad row refuses the file, with the report.
        var (refused, refusedBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import?allOrNothing=true", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(refused == HttpStatusCode.UnprocessableEntity, refusedBody.ToString());
        var report = refusedBody.GetProperty("data");
        Assert.Equal(6, report.GetProperty("rows").GetInt32());
        Assert.Equal(0, report.GetProperty("imported").GetInt32());
        Assert.Equal(3, report.GetProperty("rejected").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([3, 4, 6], errors.Select(e => e.GetProperty("row").GetInt32()));
        Assert.Equal("call me", errors[0].GetProperty("number").GetString());
        Assert.True(errors[0].GetProperty("errors").TryGetProperty("number", out _));
        Assert.True(errors[1].GetProperty("errors").TryGetProperty("kind", out _));
        Assert.True(errors[2].GetProperty("errors").TryGetProperty("expiresAt", out _));
        Assert.Equal(0, (await BlackListRest.GetAsync(Http, $"{Numbers}?search=csvimport")).Body.GetProperty("pagination").GetProperty("total").GetInt32());

        // Otherwise: the good rows are stored, the bad ones reported, the repeated one skipped.
        var (partial, partialBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(partial == HttpStatusCode.OK, partialBody.ToString());
        report = partialBody.GetProperty("data");
        Assert.Equal(2, report.GetProperty("imported").GetInt32());
        Assert.Equal(3, report.GetProperty("rejected").GetInt32());
        Assert.Equal(1, report.GetProperty("duplicates").GetInt32());
        var duplicate = Assert.Single(report.GetProperty("duplicateRows").EnumerateArray());
        Assert.Equal(7, duplicate.GetProperty("row").GetInt32());
        Assert.Equal(2, duplicate.GetProperty("sameAsRow").GetInt32());

        var (_, stored) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=csvimport&order=number");
        var rules = stored.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["+1 (303) 555-0101", "+1 303 555 0103"], rules.Select(r => r.GetProperty("number").GetString()));
        Assert.Equal("csvimport quoted, with comma", rules[1].GetProperty("description").GetString());
        Assert.Equal("Allow", rules[1].GetProperty("kind").GetString());
        Assert.Equal(["12125550000", "12125550001"], rules[1].GetProperty("scope").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("import", rules[1].GetProperty("source").GetString());

        // The same file again: nothing new, the good rows reported as duplicates of the stored rules.
        var (_, againBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(0, againBody.GetProperty("data").GetProperty("imported").GetInt32());
        Assert.Equal(3, againBody.GetProperty("data").GetProperty("duplicates").GetInt32());
        Assert.Contains(againBody.GetProperty("data").GetProperty("duplicateRows").EnumerateArray(), d => d.GetProperty("existingId").GetInt32() == rules[0].GetProperty("id").GetInt32());

        // A file without a number column, and a file that is not CSV at all: 400 saying what is wrong.
        var (noNumber, noNumberBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent("phone,description\n+13035550199,x\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, noNumber);
        Assert.Contains("number", noNumberBody.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        var (unknownType, _) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unknownType);
    }

    [Fact]
    public async Task A_JSON_import_and_a_multipart_upload_validate_row_by_row_and_too_many_rows_is_a_413()
    {
        var json = """
            [
              { "number": "+1 303 555 0201", "description": "jsonimport one" },
              { "number": "+1 303 555 0202", "description": "jsonimport bad kind", "kind": "Perhaps" },
              "not an object",
              { "number": "+1 303 555 0203*", "description": "jsonimport prefix", "kind": "allow" }
            ]
            """;
        var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var report = body.GetProperty("data");
        Assert.Equal(2, report.GetProperty("imported").GetInt32());
        Assert.Equal([2, 3], report.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()));
        Assert.True(report.GetProperty("errors")[0].GetProperty("errors").TryGetProperty("kind", out _));
        var (_, prefix) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=jsonimport%20prefix");
        var rule = Assert.Single(prefix.GetProperty("data").EnumerateArray());
        Assert.True(rule.GetProperty("isPrefix").GetBoolean());
        Assert.Equal("Allow", rule.GetProperty("kind").GetString());

        // A form upload, as a browser sends a chosen file.
        using var form = new MultipartFormDataContent
        {
            { new StringContent("number,description\n+1 303 555 0211,formimport one\n", Encoding.UTF8, "text/csv"), "file", "list.csv" },
        };
        var (formStatus, formBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", form);
        Assert.True(formStatus == HttpStatusCode.OK, formBody.ToString());
        Assert.Equal(1, formBody.GetProperty("data").GetProperty("imported").GetInt32());

        // One row over the daemon's limit: refused as a whole, nothing stored.
        var rulesBefore = (await BlackListRest.GetAsync(Http, $"{Numbers}?limit=1")).Body.GetProperty("pagination").GetProperty("total").GetInt32();
        var big = new StringBuilder("number\n");
        for (var i = 0; i <= BlackListRestDaemon.MaxImportRows; i++) big.Append("+1 720 5").Append(i.ToString("000000", CultureInfo.InvariantCulture)).Append('\n');
        var (tooMany, tooManyBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(big.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(tooMany == HttpStatusCode.RequestEntityTooLarge, tooManyBody.ToString());
        Assert.Contains("6,000", tooManyBody.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(rulesBefore, (await BlackListRest.GetAsync(Http, $"{Numbers}?limit=1")).Body.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_export_is_CSV_that_imports_back_into_the_same_rules()
    {
        var inputs = new object[]
        {
            new { number = "+1 (404) 555-0301", description = "roundtrip \"quoted\", with comma" },
            new { number = "+1 404 555 0302", description = "roundtrip allow scoped", kind = "Allow", scope = new[] { "+1 212 555 0000", "+1 212 555 0001" } },
            new { number = "+1404555*", description = "roundtrip prefix expiring", expiresAt = "2099-06-30T12:00:00Z" },
            new { number = "+1 404 555 0304", description = "roundtrip disabled", enabled = false },
        };
        foreach (var input in inputs)
            Assert.Equal(HttpStatusCode.Created, (await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, input)).Status);
        var before = await RoundTripRulesAsync();
        Assert.Equal(4, before.Count);

        using var response = await Http.GetAsync($"{Numbers}:export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("number,description,kind,expiresAt,scope,enabled", csv, StringComparison.Ordinal);

        // Delete them, import the export: the same rules come back (the others are duplicates, skipped).
        foreach (var rule in before)
            Assert.Equal(HttpStatusCode.OK, (await BlackListRest.SendAsync(Http, HttpMethod.Delete, $"{Numbers}/{rule.GetProperty("id").GetInt32()}")).Status);
        var (imported, importBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import?allOrNothing=true", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(imported == HttpStatusCode.OK, importBody.ToString());
        Assert.Equal(4, importBody.GetProperty("data").GetProperty("imported").GetInt32());
        Assert.Equal(0, importBody.GetProperty("data").GetProperty("rejected").GetInt32());

        var after = await RoundTripRulesAsync();
        static string Shape(JsonElement r) => string.Join('|',
            r.GetProperty("number").GetString(), r.GetProperty("normalized").GetString(), r.GetProperty("isPrefix").GetBoolean(), r.GetProperty("kind").GetString(),
            r.GetProperty("description").GetString(), r.GetProperty("enabled").GetBoolean(), r.GetProperty("expiresAt").ToString(),
            string.Join(';', r.GetProperty("scope").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal(before.Select(Shape), after.Select(Shape));
    }

    [Fact]
    public async Task A_large_list_imports_in_one_go_and_exports_streamed()
    {
        const int count = 5_000;
        var csv = new StringBuilder("number,description\n");
        for (var i = 0; i < count; i++) csv.Append("+1 808 3").Append(i.ToString("000000", CultureInfo.InvariantCulture)).Append(",biglist ").Append(i).Append('\n');
        var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import?allOrNothing=true", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(count, body.GetProperty("data").GetProperty("imported").GetInt32());
        Assert.Equal(count, (await BlackListRest.GetAsync(Http, $"{Numbers}?search=biglist&limit=1")).Body.GetProperty("pagination").GetProperty("total").GetInt32());

        // Far more than the writer's buffer: it goes out in chunks as the rows are read.
        using var response = await Http.GetAsync($"{Numbers}:export", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = 0;
        var last = "";
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            if (line.Contains("biglist", StringComparison.Ordinal)) last = line;
        }
        Assert.True(lines > count, $"{lines} lines");
        // A number starting with '+' gets the spreadsheet text marker (see NumbersCsv.WriterOptions).
        Assert.Equal("\"'+1 808 3004999\",biglist 4999,Block,,,true", last);
    }

    [Fact]
    public async Task The_check_endpoint_normalises_the_number_and_the_route_and_names_the_deciding_rule()
    {
        var (_, created) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "18005550100", description = "check plain" });
        var ruleId = created.GetProperty("data").GetProperty("id").GetInt32();

        var (status, check) = await BlackListRest.GetAsync(Http, $"{Numbers}:check?number={Uri.EscapeDataString("+1 (800) 555-0100")}");
        Assert.Equal(HttpStatusCode.OK, status);
        var data = check.GetProperty("data");
        Assert.True(data.GetProperty("blocked").GetBoolean());
        Assert.Equal("Blocked", data.GetProperty("outcome").GetString());
        Assert.Equal("18005550100", data.GetProperty("normalized").GetString());
        Assert.Equal(ruleId, data.GetProperty("rule").GetProperty("id").GetInt32());
        Assert.Equal("18005550100", data.GetProperty("reason").GetString());

        // The same number the way a trunk writes it (international prefix, country code): still the rule.
        Assert.True((await BlackListRest.GetAsync(Http, $"{Numbers}:check?number=01118005550100")).Body.GetProperty("data").GetProperty("blocked").GetBoolean());

        // A rule scoped to one route applies on that route only, however the route is written.
        await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "+1 646 555 0199", scope = new[] { "+1 (212) 555-0000" } });
        var (_, anyRoute) = await BlackListRest.GetAsync(Http, $"{Numbers}:check?number=16465550199");
        Assert.False(anyRoute.GetProperty("data").GetProperty("blocked").GetBoolean());
        Assert.Equal("None", anyRoute.GetProperty("data").GetProperty("outcome").GetString());
        var (_, onRoute) = await BlackListRest.GetAsync(Http, $"{Numbers}:check?number=16465550199&did=2125550000");
        Assert.True(onRoute.GetProperty("data").GetProperty("blocked").GetBoolean());
        Assert.Equal("12125550000", onRoute.GetProperty("data").GetProperty("normalizedDid").GetString());

        // An allow rule wins over a block prefix.
        await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "1888*" });
        await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "+1 888 555 0111", kind = "Allow" });
        var (_, allowed) = await BlackListRest.GetAsync(Http, $"{Numbers}:check?number=18885550111");
        Assert.Equal("Allowed", allowed.GetProperty("data").GetProperty("outcome").GetString());
        Assert.Equal("Allow", allowed.GetProperty("data").GetProperty("rule").GetProperty("kind").GetString());
        Assert.True((await BlackListRest.GetAsync(Http, $"{Numbers}:check?number=18885550112")).Body.GetProperty("data").GetProperty("blocked").GetBoolean());

        var (noNumber, noNumberBody) = await BlackListRest.GetAsync(Http, $"{Numbers}:check");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noNumber);
        Assert.True(noNumberBody.GetProperty("messages").GetProperty("fields").TryGetProperty("number", out _));
    }

    [Fact]
    public async Task A_REST_change_applies_to_the_next_call_and_the_blocked_call_shows_in_the_log_and_the_statistics()
    {
        const string caller = "+1 (303) 555-0142";
        Assert.Equal("0", (await CheckCallAsync(caller, "2125550000")).Variables["BLACKLISTED"]);

        var (_, created) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "303-555-0142", description = "calllog rule" });
        var ruleId = created.GetProperty("data").GetProperty("id").GetInt32();
        var blocked = await CheckCallAsync(caller, "2125550000");
        Assert.Equal("1", blocked.Variables["BLACKLISTED"]);
        Assert.Equal(ruleId.ToString(CultureInfo.InvariantCulture), blocked.Variables["BLACKLIST_RULE"]);
        Assert.True(blocked.IsHungUp);

        // Disabled over REST: the very next call passes.
        await BlackListRest.SendAsync(Http, HttpMethod.Patch, $"{Numbers}/{ruleId}", new { enabled = false });
        Assert.Equal("0", (await CheckCallAsync(caller, "2125550000")).Variables["BLACKLISTED"]);

        // The log is written in the background, at most a second behind: poll.
        using var timeout = new CancellationTokenSource(BlackListRestDaemon.Patience);
        JsonElement log;
        while (true)
        {
            (_, log) = await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/calls?number={Uri.EscapeDataString("3035550142")}");
            if (log.GetProperty("pagination").GetProperty("total").GetInt32() > 0) break;
            await Task.Delay(200, timeout.Token);
        }
        var call = Assert.Single(log.GetProperty("data").EnumerateArray());
        Assert.Equal("13035550142", call.GetProperty("normalized").GetString());
        Assert.Equal(ruleId, call.GetProperty("ruleId").GetInt32());
        Assert.Equal("303-555-0142", call.GetProperty("reason").GetString());
        Assert.Equal("2125550000", call.GetProperty("did").GetString());
        Assert.Equal("Hangup", call.GetProperty("action").GetString());

        // Filters: rule, did (written any way), time range.
        Assert.Equal(1, (await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/calls?rule={ruleId}")).Body.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(1, (await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/calls?rule={ruleId}&did={Uri.EscapeDataString("2125550000")}")).Body.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(0, (await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/calls?rule={ruleId}&did=2125559999")).Body.GetProperty("pagination").GetProperty("total").GetInt32());
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(0, (await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/calls?rule={ruleId}&from={tomorrow}")).Body.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(1, (await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/calls?rule={ruleId}&from={yesterday}&to={tomorrow}")).Body.GetProperty("pagination").GetProperty("total").GetInt32());
        var (badTime, badTimeBody) = await BlackListRest.GetAsync(Http, "/pbxcore/api/v3/module-black-list/calls?from=yesterday");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badTime);
        Assert.True(badTimeBody.GetProperty("messages").GetProperty("fields").TryGetProperty("from", out _));

        // Newest first: a second blocked call (another rule) comes before the first.
        await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "+1 303 555 0143", description = "calllog second" });
        Assert.Equal("1", (await CheckCallAsync("+1 303 555 0143", "")).Variables["BLACKLISTED"]);
        while ((await BlackListRest.GetAsync(Http, "/pbxcore/api/v3/module-black-list/calls?number=13035550143")).Body.GetProperty("pagination").GetProperty("total").GetInt32() == 0)
            await Task.Delay(200, timeout.Token);
        var (_, newest) = await BlackListRest.GetAsync(Http, "/pbxcore/api/v3/module-black-list/calls?search=303555014&limit=2");
        Assert.Equal(["13035550143", "13035550142"], newest.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("normalized").GetString()));

        // The rule's hit count followed.
        Assert.Equal(1, (await BlackListRest.GetAsync(Http, $"{Numbers}/{ruleId}")).Body.GetProperty("data").GetProperty("hitCount").GetInt64());

        // Statistics: today counts the blocks; both numbers are among the top.
        var (statsStatus, stats) = await BlackListRest.GetAsync(Http, "/pbxcore/api/v3/module-black-list/statistics?top=100");
        Assert.Equal(HttpStatusCode.OK, statsStatus);
        var data = stats.GetProperty("data");
        var days = data.GetProperty("perDay").EnumerateArray().ToList();
        Assert.Equal(30, days.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), days[^1].GetProperty("date").GetString());
        Assert.True(days[^1].GetProperty("blocks").GetInt32() >= 2);
        Assert.Equal(days.Sum(d => d.GetProperty("blocks").GetInt32()), data.GetProperty("total").GetInt32());
        Assert.Contains(data.GetProperty("topNumbers").EnumerateArray(), n => n.GetProperty("number").GetString() == "13035550142" && n.GetProperty("blocks").GetInt32() == 1);
        Assert.Contains(data.GetProperty("topRules").EnumerateArray(), r => r.GetProperty("ruleId").GetInt32() == ruleId && r.GetProperty("blocks").GetInt32() == 1);
        var (_, range) = await BlackListRest.GetAsync(Http, $"/pbxcore/api/v3/module-black-list/statistics?from={yesterday}&to={tomorrow}");
        Assert.Equal(2, range.GetProperty("data").GetProperty("perDay").GetArrayLength());
        var (tooLong, tooLongBody) = await BlackListRest.GetAsync(Http, "/pbxcore/api/v3/module-black-list/statistics?from=2020-01-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong);
        Assert.True(tooLongBody.GetProperty("messages").GetProperty("fields").TryGetProperty("from", out _));
    }

    [Fact]
    public async Task Settings_are_read_validated_with_field_messages_and_updated_with_renormalisation_and_a_new_dialplan()
    {
        const string settings = "/pbxcore/api/v3/module-black-list/settings";
        var (status, current) = await BlackListRest.GetAsync(Http, settings);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("US", current.GetProperty("data").GetProperty("defaultRegion").GetString());
        Assert.Equal("Open", current.GetProperty("data").GetProperty("failMode").GetString());

        var defaults = current.GetProperty("data");

        // PUT replaces the whole document: a partial body is a 422 naming every field it lacks (rather
        // than resetting them to their defaults), and nothing changes.
        var (partial, partialBody) = await BlackListRest.SendAsync(Http, HttpMethod.Put, settings, new { floodMaxCalls = 20 });
        Assert.True(partial == HttpStatusCode.UnprocessableEntity, partialBody.ToString());
        var missing = partialBody.GetProperty("messages").GetProperty("fields");
        foreach (var field in defaults.EnumerateObject().Select(p => p.Name).Where(n => n != "floodMaxCalls"))
            Assert.True(missing.TryGetProperty(field, out _), $"{field} not named: {missing}");
        Assert.False(missing.TryGetProperty("floodMaxCalls", out _), missing.ToString());
        Assert.Equal(10, (await BlackListRest.GetAsync(Http, settings)).Body.GetProperty("data").GetProperty("floodMaxCalls").GetInt32());

        // PATCH (JSON merge patch) changes only what it names; null puts a field back to its default.
        using (var patch = new StringContent("""{ "floodMaxCalls": 20 }""", Encoding.UTF8, "application/merge-patch+json"))
        {
            var (patched, patchedBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, settings, patch);
            Assert.True(patched == HttpStatusCode.OK, patchedBody.ToString());
        }
        var afterPatch = (await BlackListRest.GetAsync(Http, settings)).Body.GetProperty("data");
        Assert.Equal(20, afterPatch.GetProperty("floodMaxCalls").GetInt32());
        foreach (var field in defaults.EnumerateObject().Where(p => p.Name != "floodMaxCalls"))
            Assert.Equal(field.Value.ToString(), afterPatch.GetProperty(field.Name).ToString());
        using (var reset = new StringContent("""{ "floodMaxCalls": null }""", Encoding.UTF8, "application/json"))
            Assert.Equal(HttpStatusCode.OK, (await BlackListRest.SendAsync(Http, HttpMethod.Patch, settings, reset)).Status);
        Assert.Equal(10, (await BlackListRest.GetAsync(Http, settings)).Body.GetProperty("data").GetProperty("floodMaxCalls").GetInt32());

        var (invalid, invalidBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, settings, new { defaultRegion = "usa", redirectPriority = 0, callLogRetentionDays = 0 });
        Assert.True(invalid == HttpStatusCode.UnprocessableEntity, invalidBody.ToString());
        var fields = invalidBody.GetProperty("messages").GetProperty("fields");
        Assert.True(fields.TryGetProperty("defaultRegion", out _), fields.ToString());
        Assert.True(fields.TryGetProperty("redirectPriority", out _), fields.ToString());
        Assert.True(fields.TryGetProperty("callLogRetentionDays", out _), fields.ToString());
        var (redirect, redirectBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, settings, new { action = "Redirect" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, redirect);
        Assert.True(redirectBody.GetProperty("messages").GetProperty("fields").TryGetProperty("redirectContext", out _), redirectBody.ToString());
        var (unknownRegion, unknownRegionBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, settings, new { defaultRegion = "QQ" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownRegion);
        Assert.True(unknownRegionBody.GetProperty("messages").GetProperty("fields").TryGetProperty("defaultRegion", out _), unknownRegionBody.ToString());

        // A national UK number stored while the region is US keeps its digits; switching the region
        // to GB normalises it again, so a caller presenting it in international form now matches.
        var (_, created) = await BlackListRest.SendAsync(Http, HttpMethod.Post, Numbers, new { number = "020 7946 0000", description = "settings uk" });
        var ruleId = created.GetProperty("data").GetProperty("id").GetInt32();
        try
        {
            var (updated, updatedBody) = await BlackListRest.SendAsync(Http, HttpMethod.Patch, settings, new { defaultRegion = "GB", failMode = "Closed", blockAnonymous = true });
            Assert.True(updated == HttpStatusCode.OK, updatedBody.ToString());
            Assert.Equal("GB", updatedBody.GetProperty("data").GetProperty("defaultRegion").GetString());
            Assert.Equal("GB", (await BlackListRest.GetAsync(Http, settings)).Body.GetProperty("data").GetProperty("defaultRegion").GetString());
            Assert.Equal("442079460000", (await BlackListRest.GetAsync(Http, $"{Numbers}/{ruleId}")).Body.GetProperty("data").GetProperty("normalized").GetString());
            Assert.True((await BlackListRest.GetAsync(Http, $"{Numbers}:check?number={Uri.EscapeDataString("+44 20 7946 0000")}")).Body.GetProperty("data").GetProperty("blocked").GetBoolean());
            Assert.Equal("1", (await CheckCallAsync("anonymous", "")).Variables["BLACKLISTED"]);

            // Fail mode is rendered in the dialplan: the file follows.
            var dialplan = Path.Combine(fixture.Root, "var", "asterisk", "extensions_modules.conf");
            using var timeout = new CancellationTokenSource(BlackListRestDaemon.Patience);
            while (!File.Exists(dialplan) || !(await File.ReadAllTextAsync(dialplan, timeout.Token)).Contains("fail-closed", StringComparison.Ordinal))
                await Task.Delay(200, timeout.Token);
        }
        finally
        {
            // Back to the defaults (a whole document, as PUT needs) for the other tests.
            var (reset, resetBody) = await BlackListRest.SendAsync(Http, HttpMethod.Put, settings, defaults);
            Assert.True(reset == HttpStatusCode.OK, resetBody.ToString());
        }
        Assert.Equal("US", (await BlackListRest.GetAsync(Http, settings)).Body.GetProperty("data").GetProperty("defaultRegion").GetString());
        Assert.Equal("0", (await CheckCallAsync("anonymous", "")).Variables["BLACKLISTED"]);
    }

    [Fact]
    public async Task A_formula_imported_as_text_is_exported_escaped_and_the_export_imports_back()
    {
        const string csv = "number,description\n19200000000,\"=cmd|' /C calc'!A0\"\n+1 920 000 0001,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n";
        var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(2, body.GetProperty("data").GetProperty("imported").GetInt32());
        var (_, stored) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=1920000&order=number");
        Assert.Equal(new[] { "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")" }.Order(StringComparer.Ordinal), stored.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("description").GetString()).Order(StringComparer.Ordinal));

        using var response = await Http.GetAsync($"{Numbers}:export");
        var exported = await response.Content.ReadAsStringAsync();
        Assert.Contains("19200000000,\"'=cmd|' /C calc'!A0\",Block", exported, StringComparison.Ordinal);
        Assert.Contains("\"'+1 920 000 0001\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Block", exported, StringComparison.Ordinal);

        // Importing the export back: the same numbers (duplicates of the stored rules, skipped).
        var (again, againBody) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new StringContent(exported, Encoding.UTF8, "text/csv"));
        Assert.True(again == HttpStatusCode.OK, againBody.ToString());
        Assert.Equal(0, againBody.GetProperty("data").GetProperty("imported").GetInt32());
        Assert.Equal(0, againBody.GetProperty("data").GetProperty("rejected").GetInt32());
    }

    [Fact]
    public async Task A_CSV_row_with_invalid_UTF8_is_refused_naming_its_line()
    {
        var bytes = new List<byte>();
        bytes.AddRange("number,description\n+1 930 555 0001,utf8test good\n+1 930 555 0002,utf8test "u8.ToArray());
        bytes.AddRange([0xFF, 0xFE]);
        bytes.AddRange("\n"u8.ToArray());
        var (status, body) = await BlackListRest.SendAsync(Http, HttpMethod.Post, $"{Numbers}:import", new ByteArrayContent([.. bytes]) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("data").GetProperty("imported").GetInt32());
        var error = Assert.Single(body.GetProperty("data").GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Contains("UTF-8", error.GetProperty("errors").GetProperty("row")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_import_bodies_the_CSV_export_and_the_settings_patch()
    {
        var (status, document) = await BlackListRest.GetAsync(Http, "/pbxcore/api/v3/openapi.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document.GetProperty("paths");
        var import = paths.GetProperty("/pbxcore/api/v3/module-black-list/numbers:import").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal("string", import.GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString());
        Assert.True(import.TryGetProperty("application/json", out var json), import.ToString());
        Assert.Contains("array", json.GetProperty("schema").ToString(), StringComparison.Ordinal);
        Assert.Equal("binary", import.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        var export = paths.GetProperty("/pbxcore/api/v3/module-black-list/numbers:export").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(export.TryGetProperty("text/csv", out _), export.ToString());
        Assert.False(export.TryGetProperty("application/json", out _), export.ToString());
        var patch = paths.GetProperty("/pbxcore/api/v3/module-black-list/settings").GetProperty("patch").GetProperty("requestBody").GetProperty("content");
        Assert.True(patch.TryGetProperty("application/merge-patch+json", out _), patch.ToString());
    }

    private async Task<SimulatedAgiCall> CheckCallAsync(string callerId, string did)
    {
        using var timeout = new CancellationTokenSource(BlackListRestDaemon.Patience);
        var call = await SimulatedAgiCall.ConnectAsync(fixture.Daemon.AgiPort, new SimulatedAgiCallOptions
        {
            Script = "module-black-list/check",
            CallerId = callerId,
            Arguments = [did],
        }, timeout.Token);
        try
        {
            await call.Completion.WaitAsync(timeout.Token);
        }
        finally
        {
            await call.DisposeAsync();
        }
        return call;
    }

    private async Task<List<JsonElement>> RoundTripRulesAsync()
    {
        var (_, body) = await BlackListRest.GetAsync(Http, $"{Numbers}?search=roundtrip&order=number");
        return [.. body.GetProperty("data").EnumerateArray()];
    }
}

/// <summary>
/// RBAC of the module's resources with authentication on (<c>Rest:TrustLoopback=false</c>): an API
/// key holding only <c>BlackList:Read</c> reads and checks but every change answers 403; no
/// credential answers 401; the admin may do everything.
/// </summary>
public sealed class BlackListRestAuthTests
{
    private const string Numbers = "/pbxcore/api/v3/module-black-list/numbers";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A_read_only_API_key_reads_and_checks_but_every_change_is_403()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-blrest-auth-").FullName;
        var modules = ModuleFolders.Install(root);
        await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string>
        {
            ["Paths:Modules"] = modules,
            ["Rest:TrustLoopback"] = "false",
            ["Rest:AdminPassword"] = Password,
        });
        var http = daemon.Http;

        using (var anonymous = await http.GetAsync(Numbers))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var login = await http.PostAsJsonAsync("/pbxcore/api/v3/auth:login", new { username = "admin", password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var tokens = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        var admin = new AuthenticationHeaderValue("Bearer", tokens.RootElement.GetProperty("data").GetProperty("accessToken").GetString());
        await BlackListRest.WaitForModuleAsync(http, admin);

        var (keyStatus, keyBody) = await BlackListRest.SendAsync(http, HttpMethod.Post, "/pbxcore/api/v3/api-keys", new { name = "blacklist viewer", permissions = new[] { "BlackList:Read" } }, admin);
        Assert.True(keyStatus == HttpStatusCode.Created, keyBody.ToString());
        var reader = new AuthenticationHeaderValue("ApiKey", keyBody.GetProperty("data").GetProperty("key").GetString());

        // The admin creates a rule; the reader sees it and checks numbers.
        var (created, createdBody) = await BlackListRest.SendAsync(http, HttpMethod.Post, Numbers, new { number = "+1 303 555 0401" }, admin);
        Assert.True(created == HttpStatusCode.Created, createdBody.ToString());
        var id = createdBody.GetProperty("data").GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.GetAsync(http, Numbers, reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.GetAsync(http, $"{Numbers}/{id}", reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.GetAsync(http, $"{Numbers}:check?number=13035550401", reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.GetAsync(http, "/pbxcore/api/v3/module-black-list/calls", reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.GetAsync(http, "/pbxcore/api/v3/module-black-list/statistics", reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.GetAsync(http, "/pbxcore/api/v3/module-black-list/settings", reader)).Status);
        using (var export = new HttpRequestMessage(HttpMethod.Get, $"{Numbers}:export"))
        {
            export.Headers.Authorization = reader;
            using var exported = await http.SendAsync(export);
            Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        }

        // Every change: 403, and nothing changed.
        Assert.Equal(HttpStatusCode.Forbidden, (await BlackListRest.SendAsync(http, HttpMethod.Post, Numbers, new { number = "+1 303 555 0402" }, reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await BlackListRest.SendAsync(http, HttpMethod.Put, $"{Numbers}/{id}", new { number = "+1 303 555 0403" }, reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await BlackListRest.SendAsync(http, HttpMethod.Patch, $"{Numbers}/{id}", new { enabled = false }, reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await BlackListRest.SendAsync(http, HttpMethod.Delete, $"{Numbers}/{id}", null, reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await BlackListRest.SendAsync(http, HttpMethod.Post, $"{Numbers}:import", new StringContent("number\n+13035550404\n", Encoding.UTF8, "text/csv"), reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await BlackListRest.SendAsync(http, HttpMethod.Put, "/pbxcore/api/v3/module-black-list/settings", new { failMode = "Closed" }, reader)).Status);
        var (_, still) = await BlackListRest.GetAsync(http, $"{Numbers}/{id}", admin);
        Assert.Equal("+1 303 555 0401", still.GetProperty("data").GetProperty("number").GetString());
        Assert.True(still.GetProperty("data").GetProperty("enabled").GetBoolean());
        Assert.Equal(1, (await BlackListRest.GetAsync(http, Numbers, admin)).Body.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal("Open", (await BlackListRest.GetAsync(http, "/pbxcore/api/v3/module-black-list/settings", admin)).Body.GetProperty("data").GetProperty("failMode").GetString());

        // The admin may.
        Assert.Equal(HttpStatusCode.OK, (await BlackListRest.SendAsync(http, HttpMethod.Delete, $"{Numbers}/{id}", null, admin)).Status);
    }
}

/// <summary>HTTP helpers for the REST tests: JSON in, the API's envelope out.</summary>
internal static class BlackListRest
{
    /// <summary>Waits until the module's resources answer (the module loads its list in the background after start).</summary>
    public static async Task WaitForModuleAsync(HttpClient http, AuthenticationHeaderValue? credential = null)
    {
        using var timeout = new CancellationTokenSource(BlackListRestDaemon.Patience);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/pbxcore/api/v3/module-black-list/settings");
            request.Headers.Authorization = credential;
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(200, timeout.Token);
        }
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path, AuthenticationHeaderValue? credential = null)
        => SendAsync(http, HttpMethod.Get, path, null, credential);

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null, AuthenticationHeaderValue? credential = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body switch
            {
                null => null,
                HttpContent content => content,
                _ => JsonContent.Create(body),
            },
        };
        request.Headers.Authorization = credential;
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
