using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Sdk.Testing.Hosting;

namespace ModuleFoo.Tests;

/// <summary>Starts the host with the module, and the few REST calls the tests share.</summary>
internal static class FooHost
{
    /// <summary>The module's REST base path.</summary>
    public const string Greetings = "pbxcore/api/v3/module-foo/greetings";

    /// <summary>
    /// Starts the host with ModuleFoo on a fake clock (the module's TimeProvider), so a test moves time instead of waiting.
    /// </summary>
    public static Task<ModuleTestHost> StartAsync(FakeTimeProvider? time = null, Action<ModuleTestHostOptions>? configure = null)
    {
        var options = new ModuleTestHostOptions { Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)) };
        configure?.Invoke(options);
        return ModuleTestHost.StartAsync(options);
    }

    /// <summary>Creates a greeting through the REST API and returns its id.</summary>
    public static async Task<int> AddGreetingAsync(this ModuleTestHost host, string callerId, string sound, DateTimeOffset? expiresAt = null)
    {
        using var response = await host.Rest.PostAsJsonAsync(Greetings, new { callerId, sound, expiresAt });
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body.ToString());
        return body.GetProperty("data").GetProperty("id").GetInt32();
    }

    /// <summary>The body of an API answer.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
}
