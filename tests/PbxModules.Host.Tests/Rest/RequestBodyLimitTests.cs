using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace PbxModules.Host.Tests.Rest;

/// <summary>
/// Request bodies are limited per endpoint (login 4 KB, JSON 1 MB by default, a module endpoint's
/// own declared limit); an oversize body is a 413 in the API's envelope, answered before it is sent.
/// </summary>
public sealed class RequestBodyLimitTests : IAsyncLifetime
{
    private const string Login = "/pbxcore/api/v3/auth:login";
    private const string Numbers = "/pbxcore/api/v3/test-rest/numbers";
    private RestHost _host = null!;
    private string _bearer = "";

    public async Task InitializeAsync()
    {
        _host = await RestHost.StartAsync();
        _bearer = "Bearer " + (await _host.LoginAsync()).GetProperty("accessToken").GetString();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_20_MB_login_is_refused_with_413_before_its_body_is_sent()
    {
        // The head declares 20 MB and no byte of it follows: the answer can only come before the body.
        var answer = await RawHttp.DeclareAsync(_host.Port, Login, 20 * 1024 * 1024);
        Assert.Equal(413, answer.Status);
        AssertEnvelope(answer.Body, 413, "4096 bytes");
    }

    [Fact]
    public async Task A_chunked_login_is_cut_off_at_4_KB()
    {
        var answer = await RawHttp.ChunkedAsync(_host.Port, Login, "{\"username\":\"admin\",\"password\":\"", 5 * 1024);
        Assert.Equal(413, answer.Status);
        AssertEnvelope(answer.Body, 413, "4096 bytes");
    }

    [Fact]
    public async Task Every_api_route_takes_1_MB_by_default()
    {
        var answer = await RawHttp.DeclareAsync(_host.Port, Numbers, 1024 * 1024 + 1, _bearer);
        Assert.Equal(413, answer.Status);
        AssertEnvelope(answer.Body, 413, "1048576 bytes");

        var chunked = await RawHttp.ChunkedAsync(_host.Port, Numbers + ":import", "[{\"number\":\"", 1024 * 1024 + 2048, _bearer);
        Assert.Equal(413, chunked.Status);
        AssertEnvelope(chunked.Body, 413, "1048576 bytes");
    }

    [Fact]
    public async Task A_module_endpoint_that_declares_4_MB_takes_2_MB_and_refuses_5_MB()
    {
        using var admin = _host.WithBearer(_bearer[7..]);
        using var content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await admin.PostAsync(Numbers + ":upload", content);
        var body = await RestHost.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(2 * 1024 * 1024, body.GetProperty("data").GetProperty("bytes").GetInt64());

        var refused = await RawHttp.DeclareAsync(_host.Port, Numbers + ":upload", 5 * 1024 * 1024, _bearer);
        Assert.Equal(413, refused.Status);
        AssertEnvelope(refused.Body, 413, "4194304 bytes");
    }

    [Fact]
    public async Task Rest_MaxJsonBodyBytes_sets_the_default()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Rest:MaxJsonBodyBytes"] = "2048" });
        using var admin = await host.AdminAsync();
        using (var small = await admin.PostAsJsonAsync(Numbers, new { number = "+4930111222", description = new string('d', 100) }))
            Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        using var large = await admin.PostAsJsonAsync(Numbers, new { number = "+4930111223", description = new string('d', 3000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        AssertEnvelope(await RestHost.BodyAsync(large), 413, "2048 bytes");
    }

    private static void AssertEnvelope(JsonElement? body, int status, string mentions)
    {
        Assert.True(body is not null, "an error without a body");
        var json = body!.Value;
        Assert.False(json.GetProperty("success").GetBoolean());
        Assert.Equal(status, json.GetProperty("httpCode").GetInt32());
        Assert.Contains(mentions, json.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
    }
}
