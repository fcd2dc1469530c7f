using System.Net;
using System.Text.Json;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>The daemon as an administrator meets it: started as a process, asked over HTTP.</summary>
public sealed class DaemonTests
{
    [Fact]
    public async Task Starts_without_Asterisk_and_reports_AMI_degraded_while_serving()
    {
        await using var daemon = await TestDaemon.StartAsync();

        using var health = await daemon.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var healthJson = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", healthJson.RootElement.GetProperty("status").GetString());
        Assert.Equal("Degraded", healthJson.RootElement.GetProperty("components").GetProperty("ami").GetProperty("status").GetString());
        Assert.Equal("Healthy", healthJson.RootElement.GetProperty("components").GetProperty("modules").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(daemon.Root, "var", "asterisk", "extensions_modules.conf")));
    }

    [Fact]
    public async Task Starts_with_embedded_defaults_connects_to_Asterisk_and_lists_ModuleBlackList_enabled()
    {
        await using var asterisk = new SimulatedAmiServer();
        await asterisk.StartAsync();
        await using var daemon = await TestDaemon.StartAsync(amiPort: asterisk.Port);

        // The dialplan written at start-up is loaded into Asterisk as soon as AMI logs in.
        using var reload = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", reload.Token);
        using var healthJson = await WaitForHealthAsync(daemon, "Healthy");
        Assert.Equal("Healthy", healthJson.RootElement.GetProperty("components").GetProperty("ami").GetProperty("status").GetString());
        Assert.Equal("Healthy", healthJson.RootElement.GetProperty("components").GetProperty("modules").GetProperty("status").GetString());
        Assert.Equal("Healthy", healthJson.RootElement.GetProperty("components").GetProperty("database").GetProperty("status").GetString());

        using var modules = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules"));
        Assert.True(modules.RootElement.GetProperty("success").GetBoolean());
        var blackList = modules.RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "module-black-list");
        Assert.Equal("Enabled", blackList.GetProperty("state").GetString());
        Assert.Equal("ModuleBlackList", blackList.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, blackList.GetProperty("failureReason").ValueKind);

        // Data lands under ./var of the working directory, as the README says.
        Assert.True(File.Exists(Path.Combine(daemon.Root, "var", "data", "pbxmodules.db")));
    }

    [Fact]
    public async Task Disable_survives_a_restart_and_enable_brings_the_module_back()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        await using (var daemon = await TestDaemon.StartAsync(root))
        {
            using var disabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/module-black-list:disable", null);
            Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
            await daemon.StopAsync();
            Assert.Equal(0, daemon.ExitCode);
        }

        await using (var daemon = await TestDaemon.StartAsync(root))
        {
            Assert.Equal("Disabled", await StateAsync(daemon));
            using var enabled = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/module-black-list:enable", null);
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
            Assert.Equal("Enabled", await StateAsync(daemon));
        }
    }

    [Fact]
    public async Task A_broken_module_is_listed_failed_and_the_daemon_still_serves()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        var modules = ModuleFolders.Install(root);
        var broken = Directory.CreateDirectory(Path.Combine(modules, "Broken")).FullName;
        await File.WriteAllTextAsync(Path.Combine(broken, "module.json"), """{ "id": "broken-module", "name": "Broken", "version": "1.0.0", "sdk": "^1.0.0", "assembly": "Missing.dll" }""");

        await using var daemon = await TestDaemon.StartAsync(root, new Dictionary<string, string> { ["Paths:Modules"] = modules });

        using var list = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules"));
        var data = list.RootElement.GetProperty("data").EnumerateArray().ToList();
        var failed = data.Single(m => m.GetProperty("id").GetString() == "broken-module");
        Assert.Equal("Failed", failed.GetProperty("state").GetString());
        Assert.Contains("'assembly'", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Enabled", data.Single(m => m.GetProperty("id").GetString() == "module-black-list").GetProperty("state").GetString());

        using var health = JsonDocument.Parse(await daemon.Http.GetStringAsync("/healthz"));
        Assert.Equal("Degraded", health.RootElement.GetProperty("components").GetProperty("modules").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_module_answers_404_with_a_message()
    {
        await using var daemon = await TestDaemon.StartAsync();
        using var response = await daemon.Http.PostAsync("/pbxcore/api/v3/modules/no-such-module:enable", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("success").GetBoolean());
        Assert.Contains("no-such-module", body.RootElement.GetProperty("messages").GetProperty("error")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-module/check", "NOT_FOUND")]
    [InlineData("module-black-list/no-such-handler", "NOT_FOUND")]
    public async Task An_AGI_call_to_an_unknown_route_continues_with_PBXMODULES_STATUS_set(string script, string status)
    {
        await using var daemon = await TestDaemon.StartAsync();

        await using var call = await SimulatedAgiCall.ConnectAsync(daemon.AgiPort, new SimulatedAgiCallOptions { Script = script, CallerId = "0912345678" });
        await call.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(status, call.Variables["PBXMODULES_STATUS"]);
        Assert.Contains(call.Commands, c => c.Line.StartsWith("VERBOSE", StringComparison.Ordinal));
        Assert.False(call.IsHungUp);
    }

    private static async Task<JsonDocument> WaitForHealthAsync(PbxDaemon daemon, string status)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var json = JsonDocument.Parse(await daemon.Http.GetStringAsync("/healthz", deadline.Token));
            if (json.RootElement.GetProperty("status").GetString() == status) return json;
            json.Dispose();
            await Task.Delay(200, deadline.Token);
        }
    }

    private static async Task<string?> StateAsync(PbxDaemon daemon)
    {
        using var module = JsonDocument.Parse(await daemon.Http.GetStringAsync("/pbxcore/api/v3/modules/module-black-list"));
        return module.RootElement.GetProperty("data").GetProperty("state").GetString();
    }
}
