using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PbxModules.Sdk.Testing.Daemon;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// <c>POST /pbxcore/api/v3/modules:install</c> of the real daemon in Production (loopback not trusted):
/// no credentials is 401 and an API key without <c>Modules:Write</c> is 403, both before the upload is read.
/// </summary>
public sealed class InstallRouteAuthTests
{
    [Fact]
    public async Task Without_credentials_the_install_route_is_401_and_with_a_key_lacking_Modules_Write_403_and_no_upload_is_kept()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-auth-").FullName;
        var modules = ModuleFolders.Install(root);
        await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string> { ["Paths:Modules"] = modules, ["Modules:AllowUnsigned"] = "true" },
            launch: new DaemonLaunch("ASPNETCORE_ENVIRONMENT", "Production"));

        // A package the daemon would install (unsigned allowed here): only the credentials stand in the way.
        var nupkg = await ModulePackageBuilder.FromModuleFolder(Path.Combine(AppContext.BaseDirectory, "testmodules", "SurfacesModule"))
            .BuildAsync(Path.Combine(root, "uploads", "surfaces.nupkg"));

        using var anonymous = await daemon.Http.PostAsync(HostileDaemon.InstallPath, Form(nupkg));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The local administrator (the daemon's Unix socket) makes a key that may read modules, not change them.
        using var socket = UnixSocketHttp.CreateClient(Path.Combine(root, "var", "data", "pbx-modules.sock"));
        using var created = await socket.PostAsJsonAsync("/pbxcore/api/v3/api-keys", new { name = "reader", permissions = new[] { "Modules:Read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        using var reader = new HttpRequestMessage(HttpMethod.Post, HostileDaemon.InstallPath) { Content = Form(nupkg) };
        reader.Headers.Add("X-Api-Key", key.RootElement.GetProperty("data").GetProperty("key").GetString());
        using var forbidden = await daemon.Http.SendAsync(reader);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var envelope = JsonDocument.Parse(await forbidden.Content.ReadAsStringAsync());
        Assert.Contains("Permission 'Modules:Write' is required", envelope.RootElement.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);

        using var list = JsonDocument.Parse(await socket.GetStringAsync("/pbxcore/api/v3/modules"));
        Assert.DoesNotContain(list.RootElement.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "test-surfaces");
        var incoming = Path.Combine(root, "var", "data", "packages", "incoming");
        Assert.True(!Directory.Exists(incoming) || Directory.GetFiles(incoming).Length == 0, "a refused caller's upload was kept");
    }

    private static MultipartFormDataContent Form(string nupkg)
    {
        var file = new ByteArrayContent(File.ReadAllBytes(nupkg));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "package", Path.GetFileName(nupkg) } };
    }
}
