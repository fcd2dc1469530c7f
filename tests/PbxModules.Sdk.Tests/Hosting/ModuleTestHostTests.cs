using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Sdk.Testing.Hosting;

namespace PbxModules.Sdk.Tests.Hosting;

/// <summary>
/// The test host as a module author uses it, on SurfacesModule (one of every surface, each writing what it saw to the
/// module's database), deployed into this project's output by &lt;PbxModule&gt;.
/// </summary>
public sealed class ModuleTestHostTests
{
    private const string ModuleId = "test-surfaces";
    private const string Observations = $"pbxcore/api/v3/{ModuleId}/observations";

    [Fact]
    public async Task A_call_to_the_modules_AGI_handler_runs_the_handler_in_the_real_host()
    {
        await using var host = await ModuleTestHost.StartAsync();

        await using var call = await host.PlaceCallAsync($"{ModuleId}/echo", o => { o.CallerId = "0912345678"; o.CallerIdName = "Caller"; });
        await call.Completion;

        Assert.Equal("0912345678", call.Variables["SURFACES_ECHO"]);
        Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
        Assert.Contains("agi", await KindsAsync(host));
    }

    [Fact]
    public async Task The_REST_client_is_an_administrator_and_a_client_without_a_key_is_refused()
    {
        await using var host = await ModuleTestHost.StartAsync();

        using (var authorised = await host.Rest.GetAsync(Observations))
            Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        using var anonymous = host.CreateClient();
        using (var refused = await anonymous.GetAsync(Observations))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var wrongKey = host.CreateClient(new string('a', 64));
        using (var refused = await wrongKey.GetAsync(Observations))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task An_AMI_event_is_handled_by_the_modules_worker_when_RaiseAmiEventAsync_returns()
    {
        await using var host = await ModuleTestHost.StartAsync();
        await host.RaiseAmiEventAsync("UserEvent", ("UserEvent", "SurfacesPing"), ("Data", "hello"));

        // Handled means done: the worker's record and its answer to Asterisk are already there.
        Assert.Contains("ami", await KindsAsync(host));
        Assert.Contains(host.Asterisk.ReceivedActions, a => a.Name == "UserEvent" && a["UserEvent"] == "SurfacesPong" && a["Data"] == "hello");
    }

    [Fact]
    public async Task An_AMI_event_no_worker_subscribes_to_returns_once_sent()
    {
        await using var host = await ModuleTestHost.StartAsync();

        await host.RaiseAmiEventAsync("Newchannel", ("Channel", "PJSIP/100-1"));

        Assert.DoesNotContain("ami", await KindsAsync(host));
    }

    [Fact]
    public async Task The_dialplan_is_the_file_the_host_composed_from_the_modules_hooks()
    {
        await using var host = await ModuleTestHost.StartAsync();

        var dialplan = await host.ReadDialplanAsync();

        Assert.Contains($"AGI(agi://127.0.0.1:{host.AgiPort}/{ModuleId}/echo)", dialplan, StringComparison.Ordinal);
        Assert.Contains("TEST_SURFACES=1", dialplan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_test_clock_is_the_one_in_the_modules_container()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        await using var host = await ModuleTestHost.StartAsync(new ModuleTestHostOptions { Time = time });

        Assert.Same(time, host.ModuleServices(ModuleId).GetRequiredService<TimeProvider>());
        Assert.Same(time, host.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task An_unknown_module_id_names_the_enabled_ones()
    {
        await using var host = await ModuleTestHost.StartAsync();

        var ex = Assert.Throws<ArgumentException>(() => host.ModuleServices("no-such-module"));

        Assert.Contains("no-such-module", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ModuleId, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_logs_are_kept_and_can_be_waited_for()
    {
        await using var host = await ModuleTestHost.StartAsync();

        await host.WaitForLogAsync(ModuleId);

        Assert.Contains(host.Logs, l => l.Contains(ModuleId, StringComparison.Ordinal) && l.Contains(": ", StringComparison.Ordinal));
        await Assert.ThrowsAsync<TimeoutException>(() => host.WaitForLogAsync("a line nobody writes " + Guid.NewGuid(), TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task A_module_that_fails_to_load_fails_the_start_with_the_hosts_reason()
    {
        var modules = Directory.CreateTempSubdirectory("pbxmodules-broken-").FullName;
        try
        {
            var folder = Path.Combine(modules, "SurfacesModule");
            CopyDirectory(Path.Combine(AppContext.BaseDirectory, "modules", "SurfacesModule"), folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "SurfacesModule.dll"), "not an assembly");

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => ModuleTestHost.StartAsync(new ModuleTestHostOptions { ModulesFolder = modules }));

            Assert.Contains($"'{ModuleId}'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("Failed", ex.Message, StringComparison.Ordinal);
            Assert.Contains("SurfacesModule.dll", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(modules, recursive: true);
        }
    }

    [Fact]
    public async Task A_missing_modules_folder_says_how_to_deploy_one()
    {
        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => ModuleTestHost.StartAsync(new ModuleTestHostOptions { ModulesFolder = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")) }));

        Assert.Contains("<PbxModule Include=", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_stops_every_listener_and_deletes_the_data_folder()
    {
        var host = await ModuleTestHost.StartAsync();
        var (rest, agi, ami, data) = (host.RestPort, host.AgiPort, host.Asterisk.Port, host.DataFolder);
        Assert.True(Directory.Exists(data));

        await host.DisposeAsync();

        foreach (var port in new[] { rest, agi, ami })
        {
            using var client = new TcpClient();
            var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        Assert.False(Directory.Exists(data));
    }

    private static async Task<List<string>> KindsAsync(ModuleTestHost host)
    {
        using var page = JsonDocument.Parse(await host.Rest.GetStringAsync($"{Observations}?limit=100"));
        return [.. page.RootElement.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("kind").GetString()!)];
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
