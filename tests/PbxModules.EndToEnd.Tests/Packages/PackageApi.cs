using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>The daemon's module API as an administrator's client uses it: uploads, upgrades, the module list (trusted loopback, Development).</summary>
internal static class PackageApi
{
    public const string Modules = "/pbxcore/api/v3/modules";

    /// <summary>
    /// A client of the daemon's REST port with a deadline for an install or upgrade (a load, migrations,
    /// an upgrade's drain) on a loaded machine: a deadline, not a measure.
    /// </summary>
    public static HttpClient Client(PbxDaemon daemon) => new() { BaseAddress = new Uri($"http://127.0.0.1:{daemon.RestPort}"), Timeout = TimeSpan.FromMinutes(3) };

    /// <summary><c>POST modules:install</c> with the package as a multipart upload.</summary>
    public static Task<HttpResponseMessage> InstallAsync(HttpClient http, string package) => http.PostAsync($"{Modules}:install", Upload(package));

    /// <summary><c>POST modules/{id}:upgrade</c> with the package as a multipart upload.</summary>
    public static Task<HttpResponseMessage> UpgradeAsync(HttpClient http, string id, string package) => http.PostAsync($"{Modules}/{id}:upgrade", Upload(package));

    /// <summary>Fails with the status and body unless the answer is <paramref name="expected"/>; returns the envelope.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{what}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary><c>GET modules/{id}</c>'s data; null when the daemon answers 404.</summary>
    public static async Task<JsonElement?> ModuleAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync($"{Modules}/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await ExpectAsync(response, HttpStatusCode.OK, $"GET modules/{id}");
        return body.GetProperty("data");
    }

    /// <summary>The ids in <c>GET modules</c> (every page of it is one page here: the tests install a few modules).</summary>
    public static async Task<IReadOnlyList<string>> ModuleIdsAsync(HttpClient http)
    {
        var body = await ExpectAsync(await http.GetAsync(Modules), HttpStatusCode.OK, "GET modules");
        return [.. body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
    }

    private static MultipartFormDataContent Upload(string package)
    {
        var file = new ByteArrayContent(File.ReadAllBytes(package));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "package", Path.GetFileName(package) } };
    }
}
