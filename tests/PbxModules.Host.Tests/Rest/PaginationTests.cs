using System.Text.Json;

namespace PbxModules.Host.Tests.Rest;

/// <summary>A list's <c>pagination.limit</c> is the limit asked for (or the default), never the number of items returned.</summary>
public sealed class PaginationTests : AdminRestHostTests
{
    [Theory]
    [InlineData("/pbxcore/api/v3/modules")]
    [InlineData("/pbxcore/api/v3/api-keys")]
    [InlineData("/pbxcore/api/v3/test-rest/numbers")]
    public async Task Every_list_echoes_the_limit_asked_for_and_defaults_to_20(string list)
    {
        AssertPage(await PageAsync($"{list}?limit=7"), limit: 7, offset: 0);
        AssertPage(await PageAsync(list), limit: 20, offset: 0);
        AssertPage(await PageAsync($"{list}?limit=3&offset=50"), limit: 3, offset: 50);
    }

    [Fact]
    public async Task An_empty_list_says_the_limit_asked_for_not_1()
    {
        var keys = await PageAsync("/pbxcore/api/v3/api-keys?limit=7");
        Assert.Equal(0, keys.GetProperty("data").GetArrayLength());
        Assert.Equal(7, keys.GetProperty("pagination").GetProperty("limit").GetInt32());
    }

    private static void AssertPage(JsonElement page, int limit, int offset)
    {
        var pagination = page.GetProperty("pagination");
        var total = pagination.GetProperty("total").GetInt32();
        Assert.Equal(limit, pagination.GetProperty("limit").GetInt32());
        Assert.Equal(offset, pagination.GetProperty("offset").GetInt32());
        Assert.Equal(Math.Clamp(total - offset, 0, limit), page.GetProperty("data").GetArrayLength());
    }

    private async Task<JsonElement> PageAsync(string path)
    {
        using var response = await Admin.GetAsync(path);
        var body = await RestHost.BodyAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
