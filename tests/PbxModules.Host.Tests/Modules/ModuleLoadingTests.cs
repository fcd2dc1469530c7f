using PbxModules.Host.Modules;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Tests.Modules;

public sealed class ModuleLoadingTests : IAsyncLifetime
{
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    /// <summary>A copy of the good module under another folder and id, to break in some way.</summary>
    private string AddGoodCopy(string folder, string id)
    {
        var path = _host.AddModule("GoodModule", folder);
        _host.EditManifest(folder, m => m["id"] = id);
        return path;
    }

    private void AssertGoodModuleRuns()
    {
        var good = _host.Module(ModuleHostFixture.GoodId);
        Assert.Equal(ModuleState.Enabled, good.State);
        Assert.Null(good.FailureReason);
        Assert.Contains(_host.Manager.Registry.EnabledModules, m => m.Id == ModuleHostFixture.GoodId);
    }

    [Fact]
    public async Task A_good_module_is_installed_loaded_and_enabled_at_first_start()
    {
        _host.AddModule("GoodModule");

        var manager = await _host.StartAsync();

        var info = _host.Module(ModuleHostFixture.GoodId);
        Assert.Equal(ModuleState.Enabled, info.State);
        Assert.Equal("GoodModule", info.Name);
        Assert.Equal("1.0.0", info.Version);
        Assert.Equal("1.0.0", info.InstalledVersion);
        Assert.Null(info.FailureReason);
        var loaded = Assert.Single(manager.Registry.EnabledModules);
        Assert.Equal(ModuleHostFixture.GoodId, loaded.Id);
        Assert.True(Directory.Exists(loaded.Context.DataDirectory));
        Assert.Equal(_host.ModuleDataDirectory(ModuleHostFixture.GoodId), loaded.Context.DataDirectory);
    }

    [Fact]
    public async Task A_good_module_contributes_through_the_sdk_helpers()
    {
        _host.AddModule("GoodModule");
        var manager = await _host.StartAsync();

        var loaded = Assert.Single(manager.Registry.EnabledModules);
        var contribution = Assert.Single(loaded.Contributions);
        Assert.Equal(ContributionKind.Dialplan, contribution.Kind);
        var globals = await ModuleTestHelpers.ContributedGlobalsAsync(loaded);
        Assert.Equal("1", globals["TEST_GOOD"]);
    }

    [Fact]
    public async Task A_module_whose_assembly_is_missing_fails_with_the_reason_and_the_others_are_enabled()
    {
        var broken = AddGoodCopy("Incomplete", "test-incomplete");
        File.Delete(Path.Combine(broken, "GoodModule.dll"));
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        var info = _host.Module("test-incomplete");
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.StartsWith("Field 'assembly': 'GoodModule.dll' is not in", info.FailureReason, StringComparison.Ordinal);
        AssertGoodModuleRuns();
    }

    [Fact]
    public async Task A_module_whose_assembly_is_not_a_dotnet_assembly_fails_with_the_reason_and_the_others_are_enabled()
    {
        var broken = AddGoodCopy("Garbage", "test-garbage");
        File.WriteAllText(Path.Combine(broken, "GoodModule.dll"), "this is not a PE file");
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        var info = _host.Module("test-garbage");
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.Contains("GoodModule.dll", info.FailureReason, StringComparison.Ordinal);
        AssertGoodModuleRuns();
    }

    [Fact]
    public async Task A_module_that_throws_in_ConfigureServices_fails_with_the_exception_and_the_others_are_enabled()
    {
        _host.AddModule("ThrowingModule");
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        var info = _host.Module("test-throws");
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.Equal("ThrowingMain.ConfigureServices threw InvalidOperationException: test-throws refuses to configure its services.", info.FailureReason);
        Assert.DoesNotContain(_host.Manager.Registry.EnabledModules, m => m.Id == "test-throws");
        AssertGoodModuleRuns();
    }

    [Fact]
    public async Task A_module_built_for_another_sdk_fails_naming_the_sdk_field_and_the_others_are_enabled()
    {
        AddGoodCopy("Future", "test-future");
        _host.EditManifest("Future", m => m["sdk"] = "^2.0.0");
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        var info = _host.Module("test-future");
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.StartsWith("Field 'sdk' ('^2.0.0') is not satisfied by this host's SDK 1.0.0", info.FailureReason, StringComparison.Ordinal);
        AssertGoodModuleRuns();
    }

    [Fact]
    public async Task A_module_that_depends_on_a_module_that_failed_to_load_fails_too()
    {
        _host.AddModule("ThrowingModule");
        AddGoodCopy("Dependent", "test-dependent");
        _host.EditManifest("Dependent", m => m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { ["test-throws"] = "^1.0.0" });
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        var info = _host.Module("test-dependent");
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.StartsWith("Module 'test-throws', which it depends on, is not running: ThrowingMain.ConfigureServices threw", info.FailureReason, StringComparison.Ordinal);
        Assert.EndsWith("refuses to configure its services. Fix or enable 'test-throws' first.", info.FailureReason, StringComparison.Ordinal);
        AssertGoodModuleRuns();
    }

    [Fact]
    public async Task A_module_that_depends_on_a_running_module_loads_after_it()
    {
        AddGoodCopy("Dependent", "test-dependent");
        _host.EditManifest("Dependent", m => m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { [ModuleHostFixture.GoodId] = "^1.0.0" });
        _host.AddModule("GoodModule");

        var manager = await _host.StartAsync();

        Assert.Equal([ModuleHostFixture.GoodId, "test-dependent"], manager.Registry.EnabledModules.Select(m => m.Id));
        Assert.Equal(ModuleState.Enabled, _host.Module("test-dependent").State);
    }

    [Fact]
    public async Task A_module_that_failed_to_load_cannot_be_enabled_and_says_why()
    {
        AddGoodCopy("Future", "test-future");
        _host.EditManifest("Future", m => m["sdk"] = "^2.0.0");
        var manager = await _host.StartAsync();

        var result = await manager.EnableAsync("test-future", CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("Field 'sdk'", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Failed, _host.Module("test-future").State);
    }

    [Fact]
    public async Task Two_modules_shipping_different_versions_of_the_same_private_dependency_each_see_their_own()
    {
        _host.AddModule("UsesDepV1Module");
        _host.AddModule("UsesDepV2Module");
        _host.AddModule("GoodModule");

        var manager = await _host.StartAsync();

        Assert.Equal(3, manager.Registry.EnabledModules.Count);
        var v1 = await ModuleTestHelpers.ContributedGlobalsAsync(manager.Registry.EnabledModules.Single(m => m.Id == "test-dep-v1"));
        var v2 = await ModuleTestHelpers.ContributedGlobalsAsync(manager.Registry.EnabledModules.Single(m => m.Id == "test-dep-v2"));
        Assert.Equal("1", v1["DEP_VERSION"]);
        Assert.Equal("1.0.0.0", v1["DEP_ASSEMBLY_VERSION"]);
        Assert.Equal("2", v2["DEP_VERSION"]);
        Assert.Equal("2.0.0.0", v2["DEP_ASSEMBLY_VERSION"]);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "TestPrivateDep" && System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a) == System.Runtime.Loader.AssemblyLoadContext.Default);
    }

    [Fact]
    public async Task A_module_folder_without_a_manifest_is_listed_as_failed_and_does_not_stop_the_others()
    {
        Directory.CreateDirectory(Path.Combine(_host.ModulesDirectory, "Stray"));
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        var stray = _host.Module("Stray");
        Assert.Equal(ModuleState.Failed, stray.State);
        Assert.Contains("module.json not found", stray.FailureReason, StringComparison.Ordinal);
        AssertGoodModuleRuns();
    }
}
