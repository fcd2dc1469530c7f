using System.Net;
using System.Net.Http.Json;
using PbxModules.Host.Auth;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Auth;

/// <summary>Trusted loopback, and the first administrator and signing key the daemon makes for itself.</summary>
public sealed class LoopbackAndBootstrapTests
{
    [Fact]
    public async Task With_TrustLoopback_loopback_callers_need_no_credentials()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: true);
        using (var modules = await host.Http.GetAsync("/pbxcore/api/v3/modules")) Assert.Equal(HttpStatusCode.OK, modules.StatusCode);
        using (var create = await host.Http.PostAsJsonAsync("/pbxcore/api/v3/test-rest/numbers", new { number = "+4930123123" })) Assert.Equal(HttpStatusCode.Created, create.StatusCode);

        // A credential that is presented is still checked: a bad one is refused, not ignored.
        using var bad = host.WithBearer("garbage");
        using var refused = await bad.GetAsync("/pbxcore/api/v3/modules");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Without_a_configured_password_the_first_admin_gets_a_generated_one_in_a_0600_file()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: false, withAdminPassword: false);
        var file = Path.Combine(host.DataDirectory, AuthService.AdminPasswordFileName);
        Assert.True(File.Exists(file));
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.True(password.Length >= 20);
        var key = Path.Combine(host.DataDirectory, JwtKeyProvider.FileName);
        Assert.True(File.Exists(key));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        var tokens = await host.LoginAsync("admin", password);
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("accessToken").GetString()));

        var log = string.Join('\n', host.Logs);
        Assert.Contains(file, log, StringComparison.Ordinal);
        Assert.DoesNotContain(password, log, StringComparison.Ordinal);
        Assert.DoesNotContain((await File.ReadAllTextAsync(key)).Trim(), log, StringComparison.Ordinal);
    }
}
