using System.Net;

namespace PbxModules.Host.Tests.Rest;

/// <summary>The OpenAPI document and the Scalar reference page describe this product's v3 API, without Scalar's hosted-service extras.</summary>
public sealed class ApiReferenceTests : IAsyncLifetime
{
    private RestHost _host = null!;

    public async Task InitializeAsync() => _host = await RestHost.StartAsync();

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task The_document_is_named_and_versioned_v3()
    {
        using var admin = await _host.AdminAsync();
        using var response = await admin.GetAsync("/pbxcore/api/v3/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var info = document.RootElement.GetProperty("info");
        Assert.Equal("v3", info.GetProperty("version").GetString());
        Assert.Equal("PbxModules API v3", info.GetProperty("title").GetString());

        // The query string cannot pick another (default "v1") document.
        using var other = await admin.GetAsync("/pbxcore/api/v3/openapi.json?documentName=v1");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_reference_page_is_configured_for_this_product()
    {
        var html = await _host.Http.GetStringAsync("/pbxcore/api/v3/docs");
        Assert.Contains("PbxModules API v3", html, StringComparison.Ordinal);
        Assert.Contains("\"showDeveloperTools\":\"never\"", html, StringComparison.Ordinal);
        Assert.Contains("\"hideClientButton\":true", html, StringComparison.Ordinal);
        Assert.Contains("\"disabled\":true", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"_integration\":\"dotnet\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"slug\":\"v1\"", html, StringComparison.Ordinal);
    }
}
