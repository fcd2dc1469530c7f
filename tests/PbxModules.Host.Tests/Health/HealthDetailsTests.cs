using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Health;

/// <summary>Anonymous <c>/healthz</c> shows statuses only; descriptions and data need <c>System:Read</c>.</summary>
public sealed class HealthDetailsTests : IAsyncLifetime
{
    private RestHost _host = null!;

    public async Task InitializeAsync() => _host = await RestHost.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Anonymous_callers_get_the_status_of_each_component_and_nothing_else()
    {
        var health = await HealthAsync(_host.Http);
        AssertBare(health);
    }

    [Fact]
    public async Task A_caller_with_System_Read_gets_the_details_and_one_without_it_does_not()
    {
        using (var admin = await _host.AdminAsync())
            AssertDetailed(await HealthAsync(admin));

        using var keyAdmin = await _host.AdminAsync();
        var without = await CreateKeyAsync(keyAdmin, "Modules:Read");
        var with = await CreateKeyAsync(keyAdmin, "System:Read");
        using (var client = _host.WithApiKey(without)) AssertBare(await HealthAsync(client));
        using (var client = _host.WithApiKey(with)) AssertDetailed(await HealthAsync(client));
    }

    [Fact]
    public async Task Trusted_loopback_gets_the_details()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: true);
        AssertDetailed(await HealthAsync(host.Http));
    }

    private static void AssertBare(JsonElement health)
    {
        Assert.Equal(["components", "status"], health.EnumerateObject().Select(p => p.Name).Order());
        Assert.NotEmpty(health.GetProperty("components").EnumerateObject());
        foreach (var component in health.GetProperty("components").EnumerateObject())
            Assert.Equal(["status"], component.Value.EnumerateObject().Select(p => p.Name));
    }

    private static void AssertDetailed(JsonElement health)
    {
        Assert.True(health.TryGetProperty("totalDurationMs", out _), health.ToString());
        var modules = health.GetProperty("components").GetProperty("modules");
        Assert.False(string.IsNullOrEmpty(modules.GetProperty("description").GetString()));
        Assert.Equal(JsonValueKind.Object, modules.GetProperty("data").ValueKind);
    }

    private static async Task<JsonElement> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/healthz");
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> CreateKeyAsync(HttpClient admin, string permission)
    {
        using var created = await admin.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = permission, permissions = new[] { permission } });
        return (await RestHost.BodyAsync(created)).GetProperty("data").GetProperty("key").GetString()!;
    }
}
