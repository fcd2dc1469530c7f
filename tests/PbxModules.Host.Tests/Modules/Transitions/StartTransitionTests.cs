using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>A module is started as <c>c_modules</c> left it: installed the first time, upgraded when its folder holds a newer version, never downgraded, and no hook runs again on a restart.</summary>
public sealed class StartTransitionTests : ModuleLifecycleTestBase
{
    [Fact]
    public async Task The_first_start_installs_then_asks_and_enables_the_module_once()
    {
        await Fixture.StartAsync();

        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task A_restart_runs_no_lifecycle_hook_again()
    {
        await Fixture.StartAsync();

        await Fixture.RestartAsync();
        await Fixture.RestartAsync();

        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Single(Fixture.Manager.Registry.EnabledModules);
    }

    [Fact]
    public async Task Raising_the_version_between_restarts_calls_upgrade_once_with_the_old_version()
    {
        await Fixture.StartAsync();
        await Fixture.StopAsync();
        Fixture.EditManifest("GoodModule", m => m["version"] = "1.1.0");

        await Fixture.StartAsync();
        await Fixture.RestartAsync();

        Assert.Equal(["install", "before-enable", "enable", "upgrade from 1.0.0"], Fixture.HookCalls());
        var info = Fixture.Module(Id);
        Assert.Equal(ModuleState.Enabled, info.State);
        Assert.Equal("1.1.0", info.Version);
        Assert.Equal("1.1.0", info.InstalledVersion);
        Assert.Equal("1.1.0", (await Fixture.Store.GetAllAsync(CancellationToken.None))[Id].InstalledVersion);
    }

    [Fact]
    public async Task Lowering_the_version_between_restarts_is_refused_as_a_downgrade_and_calls_no_hook()
    {
        await Fixture.StartAsync();
        await Fixture.StopAsync();
        Fixture.EditManifest("GoodModule", m => m["version"] = "0.9.0");

        var manager = await Fixture.StartAsync();

        var info = Fixture.Module(Id);
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.Equal("Version 0.9.0 is older than the installed 1.0.0; downgrades are refused to protect the module's data. Install 1.0.0 or newer.", info.FailureReason);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
        Assert.Equal("1.0.0", (await Fixture.Store.GetAllAsync(CancellationToken.None))[Id].InstalledVersion);
    }

    [Fact]
    public async Task A_veto_at_first_install_installs_the_module_but_leaves_it_disabled_across_restarts()
    {
        Fixture.Set($"Modules:{Id}:VetoEnable", "Configure the API key first.");

        await Fixture.StartAsync();

        Assert.Equal(["install", "before-enable"], Fixture.HookCalls());
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Equal("1.0.0", Fixture.Module(Id).InstalledVersion);

        await Fixture.RestartAsync();

        Assert.Equal(["install", "before-enable"], Fixture.HookCalls());
        Assert.Equal(ModuleState.Disabled, State);
    }

    [Fact]
    public async Task A_module_that_fails_to_load_at_first_start_is_installed_once_it_loads()
    {
        Fixture.Set($"Modules:{Id}:FailConfigureServices", "Missing setting ApiKey.");
        await Fixture.StartAsync();
        Assert.Equal(ModuleState.Failed, State);
        Assert.Equal("GoodMain.ConfigureServices threw InvalidOperationException: Missing setting ApiKey.", Fixture.Module(Id).FailureReason);
        Assert.Empty(Fixture.HookCalls());
        Fixture.Set($"Modules:{Id}:FailConfigureServices", null);

        await Fixture.RestartAsync();

        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
    }

    [Fact]
    public async Task Disable_and_enable_are_persisted_across_restarts()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);

        manager = await Fixture.RestartAsync();

        Assert.Equal(ModuleState.Disabled, State);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.False((await Fixture.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);

        Assert.Equal(ModuleOperationStatus.Done, (await manager.EnableAsync(Id, CancellationToken.None)).Status);
        manager = await Fixture.RestartAsync();

        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(Id, Assert.Single(manager.Registry.EnabledModules).Id);
        Assert.True((await Fixture.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable", "before-enable", "enable"], Fixture.HookCalls());
    }
}
