using System.Net;
using System.Text.Json;

namespace PbxModules.Host.Tests.Rest.ModuleEndpoints;

/// <summary>
/// Module endpoints follow the module: gone (404) after disable, back after enable, in the OpenAPI
/// document only while enabled, all without a restart; and once disabled nothing of it answers,
/// whatever was called before.
/// </summary>
public sealed class ModuleEndpointLifecycleTests
{
    private const string Numbers = "/pbxcore/api/v3/test-rest/numbers";

    [Fact]
    public async Task Endpoints_disappear_on_disable_and_come_back_on_enable_without_a_restart()
    {
        await using var host = await RestHost.StartAsync();
        using var admin = await host.AdminAsync();

        using (var before = await admin.GetAsync(Numbers)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using (var disable = await admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:disable", null))
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        using (var gone = await admin.GetAsync(Numbers))
        {
            var body = await RestHost.BodyAsync(gone);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.False(body.GetProperty("success").GetBoolean());
        }
        using (var goneRecord = await admin.GetAsync($"{Numbers}/1")) Assert.Equal(HttpStatusCode.NotFound, goneRecord.StatusCode);

        using (var enable = await admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:enable", null))
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        using var back = await admin.GetAsync(Numbers);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(45, (await RestHost.BodyAsync(back)).GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_module_endpoints_while_the_module_is_enabled()
    {
        await using var host = await RestHost.StartAsync();
        using var admin = await host.AdminAsync();

        var document = await DocumentAsync(admin);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty(Numbers, out var list), "module getList missing from the document");
        Assert.True(list.TryGetProperty("get", out _));
        Assert.True(list.TryGetProperty("post", out _));
        Assert.True(paths.TryGetProperty(Numbers + "/{id}", out _));
        Assert.True(paths.TryGetProperty(Numbers + ":import", out _));
        Assert.True(paths.TryGetProperty("/pbxcore/api/v3/modules", out _), "core endpoints belong in the document too");
        Assert.True(paths.TryGetProperty("/pbxcore/api/v3/auth:login", out _));

        using (var disable = await admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:disable", null))
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.False((await DocumentAsync(admin)).GetProperty("paths").TryGetProperty(Numbers, out _), "a disabled module's endpoint is still documented");

        using (var enable = await admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:enable", null))
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.True((await DocumentAsync(admin)).GetProperty("paths").TryGetProperty(Numbers, out _), "a re-enabled module's endpoint is missing");

        // The reference page is served (a static shell that loads the document).
        using var docs = await host.Http.GetAsync("/pbxcore/api/v3/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("text/html", docs.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_every_endpoint_was_called_a_disabled_module_is_functionally_gone_and_healthz_counts_its_unloaded_context()
    {
        await using var host = await RestHost.StartAsync();
        using var admin = await host.AdminAsync();

        // Touch every kind of binding (query object, route int, JSON bodies, a list body, services,
        // a failing call) and the OpenAPI document, so every cache that could see the module's types has.
        string[] reads = [Numbers + "?limit=5&order=-number", Numbers + "/1", Numbers + "/999", Numbers + ":stats", Numbers + ":boom"];
        foreach (var path in reads.Append("/pbxcore/api/v3/openapi.json"))
            (await admin.GetAsync(path)).Dispose();
        (await admin.PostAsync(Numbers, JsonContent("""{ "number": "+4930111222" }"""))).Dispose();
        (await admin.PostAsync(Numbers, JsonContent("""{ "number": "bad" }"""))).Dispose();
        (await admin.PostAsync(Numbers + ":import", JsonContent("""[ { "number": "+4930111333" } ]"""))).Dispose();
        (await admin.PatchAsync(Numbers + "/3", JsonContent("""{ "description": "x" }"""))).Dispose();
        Assert.Equal(0, (await ModulesHealthDataAsync(admin)).GetProperty("unloadedContexts").GetInt32());

        using (var disable = await admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:disable", null))
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);

        foreach (var path in reads)
        {
            using var gone = await admin.GetAsync(path);
            Assert.True(gone.StatusCode == HttpStatusCode.NotFound, $"GET {path} answered {(int)gone.StatusCode} after the disable");
        }
        using (var write = await admin.PostAsync(Numbers, JsonContent("""{ "number": "+4930111444" }""")))
            Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.False((await DocumentAsync(admin)).GetProperty("paths").TryGetProperty(Numbers, out _), "a disabled module's endpoint is still documented");

        // Whether the runtime has collected it yet is memory, not behaviour: reported, never a fault.
        var data = await ModulesHealthDataAsync(admin);
        Assert.Equal(1, data.GetProperty("unloadedContexts").GetInt32());
        Assert.InRange(data.GetProperty("unloadedContextsAlive").GetInt32(), 0, 1);
    }

    private static async Task<JsonElement> ModulesHealthDataAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/healthz");
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return health.GetProperty("components").GetProperty("modules").GetProperty("data").Clone();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> DocumentAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/pbxcore/api/v3/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
