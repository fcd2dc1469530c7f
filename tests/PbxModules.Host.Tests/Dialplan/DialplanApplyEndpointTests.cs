using System.Net;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Dialplan;

/// <summary><c>POST /pbxcore/api/v3/dialplan:apply</c>: renders, writes and asks Asterisk to reload, now.</summary>
public sealed class DialplanApplyEndpointTests
{
    private const string Route = "/pbxcore/api/v3/dialplan:apply";

    [Fact]
    public async Task Apply_writes_the_file_again_after_it_was_removed_and_says_the_reload_waits_for_AMI()
    {
        await using var host = await RestHost.StartAsync();
        var file = Path.Combine(host.Root, "asterisk", "extensions_modules.conf");
        Assert.True(File.Exists(file));
        File.Delete(file);

        using var admin = await host.AdminAsync();
        using var response = await admin.PostAsync(Route, null);
        var body = await RestHost.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.True(File.Exists(file));
        var data = body.GetProperty("data");
        Assert.True(data.GetProperty("changed").GetBoolean());
        Assert.False(data.GetProperty("reloaded").GetBoolean());
        Assert.Contains(file + " written", body.GetProperty("messages").GetProperty("info")[0].GetString(), StringComparison.Ordinal);
        // No Asterisk on this test's AMI port: the file is right, the reload is a warning, not a failure.
        Assert.Contains(body.GetProperty("messages").GetProperty("warning").EnumerateArray(), w => w.GetString()!.Contains("reload", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Apply_needs_a_credential()
    {
        await using var host = await RestHost.StartAsync();
        using var response = await host.Http.PostAsync(Route, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
