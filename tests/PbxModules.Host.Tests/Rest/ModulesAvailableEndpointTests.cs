using System.Net;
using System.Text.Json;
using PbxModules.Host.Tests.Packages;

namespace PbxModules.Host.Tests.Rest;

/// <summary><c>GET /pbxcore/api/v3/modules:available</c> on the real daemon, over a real folder feed of the build's packs.</summary>
public sealed class ModulesAvailableEndpointTests : IDisposable
{
    private const string Path = "/pbxcore/api/v3/modules:available";

    private readonly TempFolder _feeds = TestPackages.NewFolder();

    public void Dispose() => _feeds.Dispose();

    private string Feed()
    {
        var feed = _feeds.Sub("feed");
        TestPackages.CopyPacked(TestPackages.GoodId, feed);
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "1.1.0");
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "2.0.0", sdk: $"^{Host.Modules.ManifestValidator.HostSdkVersion.Major + 1}.0.0");
        TestPackages.CopyPacked(TestPackages.BlackListId, feed);
        return feed;
    }

    [Fact]
    public async Task Lists_each_module_with_its_versions_newest_compatible_installed_version_and_update()
    {
        var feed = Feed();
        // GoodModule 1.0.0 is installed; ModuleBlackList is not.
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:Sources:0"] = feed }, extraModules: "GoodModule");
        using var admin = await host.AdminAsync();

        using var response = await admin.GetAsync(Path);

        var body = await RestHost.BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var data = body.GetProperty("data");
        Assert.Empty(data.GetProperty("problems").EnumerateArray());
        var modules = data.GetProperty("modules").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal([TestPackages.BlackListId, TestPackages.GoodId], modules.Keys.Order(StringComparer.Ordinal));

        var good = modules[TestPackages.GoodId];
        Assert.Equal(["2.0.0", "1.1.0", "1.0.0"], good.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal([false, true, true], good.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("compatible").GetBoolean()));
        Assert.Equal(feed, good.GetProperty("versions")[0].GetProperty("source").GetString());
        Assert.Equal("1.1.0", good.GetProperty("newestCompatible").GetString());
        Assert.Equal("1.0.0", good.GetProperty("installedVersion").GetString());
        Assert.True(good.GetProperty("updateAvailable").GetBoolean());

        var blackList = modules[TestPackages.BlackListId];
        Assert.Equal("1.0.0", blackList.GetProperty("newestCompatible").GetString());
        Assert.Equal(JsonValueKind.Null, blackList.GetProperty("installedVersion").ValueKind);
        Assert.False(blackList.GetProperty("updateAvailable").GetBoolean());
        Assert.Equal("^1.0.0", blackList.GetProperty("versions")[0].GetProperty("sdk").GetString());
    }

    [Fact]
    public async Task A_feed_that_cannot_be_read_is_a_problem_and_a_warning_while_the_good_feed_is_listed()
    {
        var feed = Feed();
        var missing = _feeds.Sub("missing");
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:Sources:0"] = missing, ["Modules:Sources:1"] = feed });
        using var admin = await host.AdminAsync();

        using var response = await admin.GetAsync(Path);

        var body = await RestHost.BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var problem = Assert.Single(body.GetProperty("data").GetProperty("problems").EnumerateArray()).GetString()!;
        Assert.StartsWith($"Feed '{missing}' could not be read: the folder '{missing}' does not exist.", problem, StringComparison.Ordinal);
        Assert.Equal(problem, Assert.Single(body.GetProperty("messages").GetProperty("warning").EnumerateArray()).GetString());
        Assert.Equal(2, body.GetProperty("data").GetProperty("modules").GetArrayLength());
        Assert.Contains(host.Logs, l => l.Contains(problem, StringComparison.Ordinal) && l.Contains("still listed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_401_and_names_no_module()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:Sources:0"] = Feed() });

        using var response = await host.Http.GetAsync(Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(TestPackages.GoodId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_route_is_not_taken_for_a_module_id_and_modules_id_still_answers()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:Sources:0"] = Feed() });
        using var admin = await host.AdminAsync();

        using var one = await admin.GetAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}");
        using var available = await admin.GetAsync(Path);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(RestHost.ModuleId, (await RestHost.BodyAsync(one)).GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, available.StatusCode);
        Assert.True((await RestHost.BodyAsync(available)).GetProperty("data").TryGetProperty("modules", out _));
    }
}
