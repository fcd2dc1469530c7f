using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>Uninstalling: disable first (a veto stops it), the uninstall hook once, then the record, the data (unless kept) and the folder go.</summary>
public sealed class UninstallTransitionTests : ModuleLifecycleTestBase
{
    [Fact]
    public async Task Uninstalling_with_keepData_calls_the_hook_once_and_removes_the_record_and_folder_but_keeps_the_data()
    {
        var manager = await Fixture.StartAsync();
        var folder = Path.Combine(Fixture.ModulesDirectory, "GoodModule");

        var result = await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Null(result.Module);
        Assert.Contains("data was kept", result.Message, StringComparison.Ordinal);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable", "uninstall keepData=True"], Fixture.HookCalls());
        Assert.Null(manager.Registry.GetModule(Id));
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.False(Directory.Exists(folder));
        Assert.True(Directory.Exists(Fixture.ModuleDataDirectory(Id)));
        Assert.False((await Fixture.Store.GetAllAsync(CancellationToken.None)).ContainsKey(Id));

        await Fixture.RestartAsync();
        Assert.Null(Fixture.Manager.Registry.GetModule(Id));
    }

    [Fact]
    public async Task Uninstalling_without_keepData_calls_the_hook_once_and_deletes_the_data_too()
    {
        var log = Path.Combine(Fixture.Root, "hooks-outside-data.log");
        Fixture.Set($"Modules:{Id}:HookLog", log);
        var manager = await Fixture.StartAsync();
        File.WriteAllText(Path.Combine(Fixture.ModuleDataDirectory(Id), "numbers.txt"), "data");

        var result = await manager.UninstallAsync(Id, keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(1, Fixture.Count("uninstall keepData=False", log));
        Assert.False(Directory.Exists(Fixture.ModuleDataDirectory(Id)));
        Assert.False(Directory.Exists(Path.Combine(Fixture.ModulesDirectory, "GoodModule")));
        Assert.False((await Fixture.Store.GetAllAsync(CancellationToken.None)).ContainsKey(Id));
    }

    [Fact]
    public async Task A_before_disable_veto_also_stops_an_uninstall()
    {
        var manager = await Fixture.StartAsync();
        Fixture.Set($"Modules:{Id}:VetoDisable", "Still in use.");

        var result = await manager.UninstallAsync(Id, keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("Still in use.", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, Fixture.Count("uninstall keepData=False"));
        Assert.Equal(ModuleState.Enabled, State);
        Assert.True(Directory.Exists(Path.Combine(Fixture.ModulesDirectory, "GoodModule")));
    }

    [Fact]
    public async Task A_module_reinstalled_after_an_uninstall_that_kept_its_data_is_installed_again()
    {
        var manager = await Fixture.StartAsync();
        await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);
        await Fixture.StopAsync();
        Fixture.AddModule("GoodModule");

        await Fixture.StartAsync();

        Assert.Equal(2, Fixture.Count("install"));
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task Uninstalling_a_disabled_module_calls_only_its_uninstall_hook()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);

        var result = await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable", "uninstall keepData=True"], Fixture.HookCalls());
    }

    [Fact]
    public async Task A_module_that_never_loaded_can_be_uninstalled_without_running_any_hook()
    {
        Fixture.AddModule("ThrowingModule");
        var manager = await Fixture.StartAsync();
        Assert.Equal(ModuleState.Failed, Fixture.Module("test-throws").State);

        var result = await manager.UninstallAsync("test-throws", keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Null(manager.Registry.GetModule("test-throws"));
        Assert.False(Directory.Exists(Path.Combine(Fixture.ModulesDirectory, "ThrowingModule")));
        Assert.False((await Fixture.Store.GetAllAsync(CancellationToken.None)).ContainsKey("test-throws"));
        Assert.Equal(ModuleState.Enabled, State);
    }
}
