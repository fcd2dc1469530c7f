using System.Net;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Rest;

/// <summary><c>/pbxcore/api/v3/modules</c>: how an enable that cannot succeed is answered, what an uninstall keeps, what the list shows of packages.</summary>
public sealed class ModulesEndpointsTests
{
    [Fact]
    public async Task An_uninstall_keeps_the_data_unless_keepData_is_false_and_a_folder_module_lists_no_package()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: true, extraModules: ["AgiModule", "GoodModule"]);
        using (var list = await host.Http.GetAsync("/pbxcore/api/v3/modules/test-agi"))
            Assert.Equal(System.Text.Json.JsonValueKind.Null, (await RestHost.BodyAsync(list)).GetProperty("data").GetProperty("package").ValueKind);
        var agiData = Path.Combine(host.DataDirectory, "modules", "test-agi");
        var goodData = Path.Combine(host.DataDirectory, "modules", "test-good");
        Assert.True(Directory.Exists(agiData) && Directory.Exists(goodData));

        using (var kept = await host.Http.DeleteAsync("/pbxcore/api/v3/modules/test-agi"))
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        using (var purged = await host.Http.DeleteAsync("/pbxcore/api/v3/modules/test-good?keepData=false"))
            Assert.Equal(HttpStatusCode.OK, purged.StatusCode);

        Assert.True(Directory.Exists(agiData));
        Assert.False(Directory.Exists(goodData));
        Assert.Null(host.Manager.Registry.GetModule("test-agi"));
        Assert.Null(host.Manager.Registry.GetModule("test-good"));
    }

    [Fact]
    public async Task An_uninstall_refused_because_an_enabled_module_depends_on_it_answers_409_with_data_code_HasDependents()
    {
        await using var host = await RestHost.StartAsync(trustLoopback: true, extraModules: ["AgiModule", "GoodModule"], arrangeModules: modules =>
        {
            var manifest = Path.Combine(modules, "AgiModule", "module.json");
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"dependsOn\": {}", "\"dependsOn\": { \"test-good\": \"^1.0.0\" }", StringComparison.Ordinal));
        });
        Assert.Equal(ModuleState.Enabled, host.Manager.Registry.GetModule("test-agi")!.State);

        using var refused = await host.Http.DeleteAsync("/pbxcore/api/v3/modules/test-good");

        var body = await RestHost.BodyAsync(refused);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("HasDependents", body.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("test-good", body.GetProperty("data").GetProperty("module").GetProperty("id").GetString());
        var error = body.GetProperty("messages").GetProperty("error")[0].GetString();
        Assert.StartsWith("Module 'test-good' cannot be uninstalled:", error, StringComparison.Ordinal);
        Assert.Contains("test-agi", error, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Enabled, host.Manager.Registry.GetModule("test-good")!.State);
    }

    [Fact]
    public async Task Enabling_a_module_whose_assembly_is_corrupt_answers_409_with_the_reason_in_whole_sentences()
    {
        // Corrupt before the start (as the outside test found it): once loaded, the runtime keeps serving
        // the image it mapped from that path, so breaking the file later would prove nothing.
        await using var host = await RestHost.StartAsync(requireModuleEnabled: false, arrangeModules: modules =>
            File.WriteAllBytes(Path.Combine(modules, "RestModule", "RestModule.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]));
        using var admin = await host.AdminAsync();
        Assert.Equal(ModuleState.Failed, host.Manager.Registry.GetModule(RestHost.ModuleId)!.State);

        using var enable = await admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:enable", null);

        var body = await RestHost.BodyAsync(enable);
        Assert.Equal(HttpStatusCode.Conflict, enable.StatusCode);
        Assert.False(body.GetProperty("success").GetBoolean());
        var message = body.GetProperty("messages").GetProperty("error")[0].GetString()!;
        Assert.StartsWith($"Module '{RestHost.ModuleId}' could not be enabled: 'RestModule.dll' could not be loaded: ", message, StringComparison.Ordinal);
        Assert.EndsWith($"Reinstall the module, or rebuild it against SDK {Sdk.SdkInfo.Version}.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Failed, host.Manager.Registry.GetModule(RestHost.ModuleId)!.State);
        // Logged at the start and again at the enable: both in whole sentences.
        var logged = host.Logs.Last(l => l.Contains($"Module {RestHost.ModuleId} failed:", StringComparison.Ordinal));
        Assert.Contains($"against SDK {Sdk.SdkInfo.Version}. The host and the other modules keep running.", logged, StringComparison.Ordinal);
        // The message itself, without the exception the line ends with (a stack trace holds "..ctor").
        var text = logged[..(logged.IndexOf("keep running.", StringComparison.Ordinal) + "keep running.".Length)];
        Assert.DoesNotContain("..", text, StringComparison.Ordinal);
    }
}
