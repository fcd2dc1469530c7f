using System.Text.Json;

namespace PbxModules.Host.Tests.Rest;

/// <summary>A list's <c>pagination.limit</c> is the limit asked for (or the default), never the number of items returned.</summary>
public sealed class PaginationTests : IAsyncLifetime
{
    private RestHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await RestHost.StartAsync();
        _admin = await _host.AdminAsync();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("/pbxcore/api/v3/modules", 1)]
    [InlineData("/pbxcore/api/v3/api-keys", 0)]
    [InlineData("/pbxcore/api/v3/test-rest/numbers", 0)]
    public async Task Every_list_echoes_the_limit_asked_for_and_defaults_to_20(string list, int items)
    {
        var asked = await PageAsync($"{list}?limit=7");
        Assert.Equal(items, asked.GetProperty("data").GetArrayLength());
        Assert.Equal(7, asked.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(items, asked.GetProperty("pagination").GetProperty("total").GetInt32());

        var byDefault = await PageAsync(list);
        Assert.Equal(20, byDefault.GetProperty("pagination").GetProperty("limit").GetInt32());

        var offset = await PageAsync($"{list}?limit=3&offset=5");
        Assert.Equal(0, offset.GetProperty("data").GetArrayLength());
        Assert.Equal(3, offset.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(5, offset.GetProperty("pagination").GetProperty("offset").GetInt32());
    }

    private async Task<JsonElement> PageAsync(string path)
    {
        using var response = await _admin.GetAsync(path);
        var body = await RestHost.BodyAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
