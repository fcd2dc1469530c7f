using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// A module that uses every surface (tests/TestModules/SurfacesModule), driven through the real
/// daemon process and the simulated Asterisk: dialplan, AGI, AMI worker, REST, data and job, then
/// all of it gone after disabling, without a restart.
/// </summary>
public sealed class SurfacesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_surface_works_end_to_end_and_disabling_removes_all_of_it_without_a_restart()
    {
        await using var asterisk = new SimulatedAmiServer();
        await asterisk.StartAsync();
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        // ChaosModule is only a witness for the job check below (a 1 s job of another module); its
        // runs take no time and its dialplan contributor does not throw.
        var modules = ModuleFolders.Install(root, "SurfacesModule", "ChaosModule");
        await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string>
        {
            ["Paths:Modules"] = modules,
            ["Modules:test-chaos:JobDuration"] = "00:00:00",
            ["Modules:test-chaos:DialplanThrows"] = "false",
        }, asterisk.Port);
        using var timeout = new CancellationTokenSource(Patience);

        // Dialplan: written with the module's hooks, and loaded into Asterisk.
        await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
        var conf = await File.ReadAllTextAsync(Path.Combine(root, "var", "asterisk", "extensions_modules.conf"));
        Assert.Contains($"AGI(agi://127.0.0.1:{daemon.AgiPort}/test-surfaces/echo)", conf, StringComparison.Ordinal);
        Assert.Contains("exten => *77,1,AGI(", conf, StringComparison.Ordinal);
        Assert.Contains("TEST_SURFACES=1", conf, StringComparison.Ordinal);

        // AGI: the call reaches the handler, and the handler's commands reach the caller.
        await using (var call = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, new SimulatedAgiCallOptions { Script = "test-surfaces/echo", CallerId = "0912345678", CallerIdName = "Blocked Guy" }))
        {
            await call.Completion.WaitAsync(timeout.Token);
            Assert.Equal("0912345678", call.Variables["SURFACES_ECHO"]);
            Assert.Equal("OK", call.Variables["PBXMODULES_STATUS"]);
            Assert.Contains(call.Commands, c => c.Line == "GET VARIABLE CALLERID(name)" || c.Line == "GET VARIABLE \"CALLERID(name)\"");
        }

        // AMI: an event reaches the worker, and the worker's action reaches Asterisk.
        await asterisk.WaitForLoggedInClientsAsync(1, timeout.Token);
        var pong = asterisk.WaitForActionAsync("UserEvent", a => a["UserEvent"] == "SurfacesPong" && a["Data"] == "hello", timeout.Token);
        await asterisk.SendEventAsync("UserEvent", ("UserEvent", "SurfacesPing"), ("Data", "hello"));
        await pong;

        // REST (trusted loopback in Development) shows what the AGI handler, the worker and the job stored.
        var kinds = await WaitForKindsAsync(daemon, ["agi", "ami", "ami-connected", "job"], timeout.Token);
        Assert.Contains("agi", kinds);

        // Disable: the module's dialplan lines, AGI route, REST resource, worker and job are gone.
        asterisk.ClearReceivedActions();
        using (var disabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-surfaces:disable", null, timeout.Token))
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", timeout.Token);
        conf = await File.ReadAllTextAsync(Path.Combine(root, "var", "asterisk", "extensions_modules.conf"));
        Assert.DoesNotContain("test-surfaces", conf, StringComparison.Ordinal);

        await using (var call = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, new SimulatedAgiCallOptions { Script = "test-surfaces/echo", CallerId = "0912345678" }))
        {
            await call.Completion.WaitAsync(timeout.Token);
            Assert.Equal("DISABLED", call.Variables["PBXMODULES_STATUS"]);
            Assert.False(call.Variables.ContainsKey("SURFACES_ECHO"));
        }

        using (var gone = await daemon.Http.GetAsync("/pbxcore/api/v3/test-surfaces/observations", timeout.Token))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        using (var health = JsonDocument.Parse(await daemon.Http.GetStringAsync("/healthz", timeout.Token)))
        {
            var ami = health.RootElement.GetProperty("components").GetProperty("ami").GetProperty("data");
            Assert.DoesNotContain(ami.EnumerateObject(), p => p.Name.StartsWith("worker:test-surfaces", StringComparison.Ordinal));
        }

        // No job runs once disabled: the count of ticks in the module's database stays put while the
        // witness, test-chaos' 1 s job on the same Quartz scheduler, completes three more runs (a trigger
        // of test-surfaces left behind would have fired as often). An observed event, not a sleep.
        var database = Path.Combine(root, "var", "data", "modules", "test-surfaces.db");
        var witness = Path.Combine(root, "var", "data", "modules", "test-chaos.db");
        var ticks = await CountAsync(database, "job");
        var witnessed = await CompletedRunsAsync(witness);
        while (await CompletedRunsAsync(witness) < witnessed + 3) await Task.Delay(100, timeout.Token);
        Assert.Equal(ticks, await CountAsync(database, "job"));

        // And back, without a restart.
        using (var enabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/test-surfaces:enable", null, timeout.Token))
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        using (var back = await daemon.Http.GetAsync("/pbxcore/api/v3/test-surfaces/observations", timeout.Token))
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task With_auth_on_the_module_resource_needs_a_token_and_answers_with_one()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        var modules = ModuleFolders.Install(root, "SurfacesModule");
        await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string>
        {
            ["Paths:Modules"] = modules,
            ["Rest:TrustLoopback"] = "false",
            ["Rest:AdminPassword"] = "correct horse battery staple",
        });

        using (var anonymous = await daemon.Http.GetAsync("/pbxcore/api/v3/test-surfaces/observations"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var login = await daemon.Http.PostAsJsonAsync("/pbxcore/api/v3/auth:login", new { username = "admin", password = "correct horse battery staple" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var tokens = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        var accessToken = tokens.RootElement.GetProperty("data").GetProperty("accessToken").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/pbxcore/api/v3/test-surfaces/observations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var authorised = await daemon.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
    }

    private static async Task<HashSet<string>> WaitForKindsAsync(PbxDaemon daemon, string[] wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var json = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/test-surfaces/observations?limit=100", cancellationToken));
            var kinds = json.RootElement.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("kind").GetString()!).ToHashSet();
            if (wanted.All(kinds.Contains)) return kinds;
            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<long> CompletedRunsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM m_JobRuns WHERE Outcome = 'completed'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(string database, string kind)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM m_Observations WHERE Kind = $kind";
        command.Parameters.AddWithValue("$kind", kind);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
