using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace PbxModules.Host.Tests.Rest.ModuleEndpoints;

/// <summary>
/// The REST test module's <c>[ApiResource]</c> through the real daemon on real Kestrel, called as
/// an administrator: the MikoPBX URL shape, pagination, validation, custom methods, failures.
/// </summary>
public sealed class ModuleResourceTests : AdminRestHostTests
{
    private const string Numbers = "/pbxcore/api/v3/test-rest/numbers";
    [Fact]
    public async Task GetList_answers_a_page_with_total_and_hasMore()
    {
        var first = await GetAsync(Numbers, HttpStatusCode.OK);
        Assert.True(first.GetProperty("success").GetBoolean());
        Assert.Equal(20, first.GetProperty("data").GetArrayLength());
        var pagination = first.GetProperty("pagination");
        Assert.Equal(45, pagination.GetProperty("total").GetInt32());
        Assert.Equal(20, pagination.GetProperty("limit").GetInt32());
        Assert.Equal(0, pagination.GetProperty("offset").GetInt32());
        Assert.True(pagination.GetProperty("hasMore").GetBoolean());

        var last = await GetAsync($"{Numbers}?limit=20&offset=40", HttpStatusCode.OK);
        Assert.Equal(5, last.GetProperty("data").GetArrayLength());
        Assert.False(last.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
        Assert.Equal(41, last.GetProperty("data")[0].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task GetList_searches_and_orders()
    {
        var found = await GetAsync($"{Numbers}?search=Seed%204&limit=100", HttpStatusCode.OK);
        // "Seed 4" and "Seed 40" … "Seed 45".
        Assert.Equal(7, found.GetProperty("pagination").GetProperty("total").GetInt32());

        var descending = await GetAsync($"{Numbers}?order=-id&limit=1", HttpStatusCode.OK);
        Assert.Equal(45, descending.GetProperty("data")[0].GetProperty("id").GetInt32());
        var byNumber = await GetAsync($"{Numbers}?order=number:desc&limit=1", HttpStatusCode.OK);
        Assert.Equal("+1555000045", byNumber.GetProperty("data")[0].GetProperty("number").GetString());
    }

    [Theory]
    [InlineData("limit=abc", HttpStatusCode.BadRequest, null)]
    [InlineData("limit=1&limit=2", HttpStatusCode.BadRequest, null)]
    [InlineData("limit=0", (HttpStatusCode)422, "limit")]
    [InlineData("limit=101", (HttpStatusCode)422, "limit")]
    [InlineData("offset=-1", (HttpStatusCode)422, "offset")]
    [InlineData("order=no%20such", (HttpStatusCode)422, "order")]
    [InlineData("order=description", (HttpStatusCode)422, "order")]
    public async Task GetList_refuses_bad_query_values(string query, HttpStatusCode status, string? field)
    {
        var body = await GetAsync($"{Numbers}?{query}", status);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal((int)status, body.GetProperty("httpCode").GetInt32());
        Assert.NotEmpty(body.GetProperty("messages").GetProperty("error").EnumerateArray());
        if (field is not null) Assert.True(body.GetProperty("messages").GetProperty("fields").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task GetRecord_answers_the_record_or_404()
    {
        var one = await GetAsync($"{Numbers}/1", HttpStatusCode.OK);
        Assert.Equal("+1555000001", one.GetProperty("data").GetProperty("number").GetString());

        var missing = await GetAsync($"{Numbers}/999", HttpStatusCode.NotFound);
        Assert.False(missing.GetProperty("success").GetBoolean());
        Assert.Contains("999", missing.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);

        // A route value that does not bind is a bad request, in the API's shape.
        var malformed = await GetAsync($"{Numbers}/abc", HttpStatusCode.BadRequest);
        Assert.False(malformed.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Create_answers_201_then_409_for_a_duplicate()
    {
        using var created = await Admin.PostAsJsonAsync(Numbers, new { number = "+4930123456", description = "Berlin" });
        var body = await RestHost.BodyAsync(created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(201, body.GetProperty("httpCode").GetInt32());
        var id = body.GetProperty("data").GetProperty("id").GetInt32();
        await GetAsync($"{Numbers}/{id}", HttpStatusCode.OK);

        using var duplicate = await Admin.PostAsJsonAsync(Numbers, new { number = "+4930123456" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task Invalid_body_answers_422_with_messages_per_field()
    {
        using var response = await Admin.PostAsJsonAsync(Numbers, new { number = "12ab", description = new string('x', 101) });
        var body = await RestHost.BodyAsync(response);
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var fields = body.GetProperty("messages").GetProperty("fields");
        Assert.Contains("3 to 15 digits", fields.GetProperty("number")[0].GetString(), StringComparison.Ordinal);
        Assert.True(fields.TryGetProperty("description", out _), body.ToString());

        using var missing = await Admin.PostAsJsonAsync(Numbers, new { description = "no number" });
        var missingBody = await RestHost.BodyAsync(missing);
        Assert.Equal((HttpStatusCode)422, missing.StatusCode);
        Assert.True(missingBody.GetProperty("messages").GetProperty("fields").TryGetProperty("number", out _), missingBody.ToString());

        // Elements of a list body are validated too, named by index.
        using var import = await Admin.PostAsJsonAsync($"{Numbers}:import", new[] { new { number = "+15551234567" }, new { number = "x" } });
        var importBody = await RestHost.BodyAsync(import);
        Assert.Equal((HttpStatusCode)422, import.StatusCode);
        Assert.True(importBody.GetProperty("messages").GetProperty("fields").TryGetProperty("[1].number", out _), importBody.ToString());
    }

    [Fact]
    public async Task Malformed_json_answers_400_in_the_api_shape()
    {
        using var response = await Admin.PostAsync(Numbers, new StringContent("{ not json", Encoding.UTF8, "application/json"));
        var body = await RestHost.BodyAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Update_patch_and_delete_follow_the_MikoPBX_shape()
    {
        using var put = await Admin.PutAsJsonAsync($"{Numbers}/2", new { number = "+15550000999", description = "replaced" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var patch = await Admin.PatchAsJsonAsync($"{Numbers}/2", new { description = "patched" });
        var patched = await RestHost.BodyAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("+15550000999", patched.GetProperty("data").GetProperty("number").GetString());
        Assert.Equal("patched", patched.GetProperty("data").GetProperty("description").GetString());

        using var delete = await Admin.DeleteAsync($"{Numbers}/2");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        await GetAsync($"{Numbers}/2", HttpStatusCode.NotFound);
        using var again = await Admin.DeleteAsync($"{Numbers}/2");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Custom_methods_answer_on_the_colon_route()
    {
        using var import = await Admin.PostAsJsonAsync($"{Numbers}:import", new[] { new { number = "+15551234567" }, new { number = "+1555000001" } });
        var body = await RestHost.BodyAsync(import);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(1, body.GetProperty("data").GetProperty("added").GetInt32());
        Assert.Equal(1, body.GetProperty("data").GetProperty("skipped").GetInt32());

        // Parameters that are services of the module's container are injected, not bound.
        var stats = await GetAsync($"{Numbers}:stats", HttpStatusCode.OK);
        Assert.Equal(46, stats.GetProperty("data").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_throwing_method_answers_500_and_the_host_keeps_serving()
    {
        var failed = await GetAsync($"{Numbers}:boom", HttpStatusCode.InternalServerError);
        var message = failed.GetProperty("messages").GetProperty("error")[0].GetString()!;
        Assert.Contains("test-rest", message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", message, StringComparison.Ordinal);
        // The exception's own text stays in the log, not in the answer.
        Assert.DoesNotContain("on purpose", message, StringComparison.Ordinal);
        Assert.Contains(Server.Logs, l => l.Contains("test-rest", StringComparison.Ordinal) && l.Contains(":boom", StringComparison.Ordinal) && l.Contains("on purpose", StringComparison.Ordinal));

        await GetAsync(Numbers, HttpStatusCode.OK);
        using var health = await Server.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Unknown_api_routes_answer_404_in_the_api_shape()
    {
        var body = await GetAsync("/pbxcore/api/v3/no-such-module/things", HttpStatusCode.NotFound);
        Assert.False(body.GetProperty("success").GetBoolean());
    }

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected)
    {
        using var response = await Admin.GetAsync(path);
        var body = await RestHost.BodyAsync(response);
        Assert.True(expected == response.StatusCode, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }
}
