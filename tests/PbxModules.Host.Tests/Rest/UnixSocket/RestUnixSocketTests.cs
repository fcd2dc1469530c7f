using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using PbxModules.Host.Rest.UnixSocket;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Rest.UnixSocket;

/// <summary>The REST API's Unix socket: its callers are local administrators, TCP callers never are; the file's mode; a stale file.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RestUnixSocketTests
{
    private const string DisableRoute = "/pbxcore/api/v3/modules/" + RestHost.ModuleId + ":disable";

    [Fact]
    public async Task A_caller_on_the_socket_without_credentials_is_an_administrator_and_a_TCP_caller_is_not()
    {
        // Production, TrustLoopback off: loopback TCP without a credential is refused.
        await using var host = await RestHost.StartAsync(trustLoopback: false);
        using (var tcp = await host.Http.PostAsync(DisableRoute, null)) Assert.Equal(HttpStatusCode.Unauthorized, tcp.StatusCode);
        // A header cannot make a TCP request a socket one.
        using (var forged = new HttpRequestMessage(HttpMethod.Post, DisableRoute))
        {
            forged.Headers.Host = "localhost";
            forged.Headers.Add("X-Forwarded-For", "unix:" + host.SocketPath);
            using var refused = await host.Http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var socket = host.UnixSocketClient();
        using (var disabled = await socket.PostAsync(DisableRoute, null))
        {
            var body = await RestHost.BodyAsync(disabled);
            Assert.True(disabled.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.Equal("Disabled", body.GetProperty("data").GetProperty("state").GetString());
        }
        // Everything an administrator holds: creating an API key with '*'.
        using var created = await socket.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "from-socket", roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("unix-socket", (await RestHost.BodyAsync(created)).GetProperty("data").GetProperty("apiKey").GetProperty("createdBy").GetString());

        // A credential presented over the socket is still checked, not ignored.
        using var bad = host.UnixSocketClient();
        bad.DefaultRequestHeaders.Add("X-Api-Key", new string('0', 64));
        using var badKey = await bad.GetAsync("/pbxcore/api/v3/modules");
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
    }

    [Fact]
    public async Task The_socket_file_has_mode_0660()
    {
        await using var host = await RestHost.StartAsync();
        Assert.Equal(RestUnixSocket.Mode, File.GetUnixFileMode(host.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, RestUnixSocket.Mode);
    }

    [Fact]
    public async Task A_stale_socket_file_that_nobody_listens_on_is_replaced()
    {
        // A socket bound and never listened on refuses connections, as the file a killed daemon left does.
        var data = Path.Combine(Path.GetTempPath(), "pbxmodules-rest-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var path = Path.Combine(data, "stale.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(path));
            Assert.True(File.Exists(path));
            await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Rest:UnixSocket"] = path });
            using var client = host.UnixSocketClient(path);
            using var modules = await client.GetAsync("/pbxcore/api/v3/modules");
            Assert.Equal(HttpStatusCode.OK, modules.StatusCode);
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task An_empty_Rest_UnixSocket_listens_on_no_socket()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Rest:UnixSocket"] = "" });
        Assert.False(File.Exists(host.SocketPath));
    }

    [Fact]
    public async Task A_socket_another_daemon_listens_on_is_left_alone_and_the_start_refused()
    {
        await using var first = await RestHost.StartAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Rest:UnixSocket"] = first.SocketPath }));
        Assert.Contains("Another process listens on Rest:UnixSocket", Flatten(error), StringComparison.Ordinal);
        using var client = first.UnixSocketClient();
        using var modules = await client.GetAsync("/pbxcore/api/v3/modules");
        Assert.Equal(HttpStatusCode.OK, modules.StatusCode);
    }

    private static string Flatten(Exception exception) => exception.InnerException is null ? exception.Message : exception.Message + " " + Flatten(exception.InnerException);
}
