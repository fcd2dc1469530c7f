using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>Enabling: before-enable may veto, enable runs once per transition, and a module that never got installed is installed first.</summary>
public sealed class EnableTransitionTests : ModuleLifecycleTestBase
{
    [Fact]
    public async Task Each_disable_calls_the_disable_hook_once_and_each_re_enable_calls_before_enable_and_enable_once()
    {
        var manager = await Fixture.StartAsync();

        for (var cycle = 1; cycle <= 3; cycle++)
        {
            Assert.Equal(ModuleOperationStatus.Done, (await manager.DisableAsync(Id, null, CancellationToken.None)).Status);
            Assert.Equal(cycle, Fixture.Count("before-disable"));
            Assert.Equal(cycle, Fixture.Count("disable"));

            Assert.Equal(ModuleOperationStatus.Done, (await manager.EnableAsync(Id, CancellationToken.None)).Status);
            Assert.Equal(cycle + 1, Fixture.Count("before-enable"));
            Assert.Equal(cycle + 1, Fixture.Count("enable"));
            Assert.Equal(ModuleState.Enabled, State);
        }

        Assert.Equal(1, Fixture.Count("install"));
        Assert.Equal(
            ["install", "before-enable", "enable", "before-disable", "disable", "before-enable", "enable"],
            Fixture.HookCalls().Take(7));
    }

    [Fact]
    public async Task Enabling_an_enabled_module_calls_no_hook()
    {
        var manager = await Fixture.StartAsync();

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Contains("already enabled", result.Message, StringComparison.Ordinal);
        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
    }

    [Fact]
    public async Task A_disabled_module_is_upgraded_when_it_is_enabled_again()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        await Fixture.StopAsync();
        Fixture.EditManifest("GoodModule", m => m["version"] = "2.0.0");

        manager = await Fixture.StartAsync();
        Assert.Equal(0, Fixture.Count("upgrade from 1.0.0"));
        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(1, Fixture.Count("upgrade from 1.0.0"));
        Assert.Equal("2.0.0", Fixture.Module(Id).InstalledVersion);
    }

    [Fact]
    public async Task A_before_enable_veto_refuses_with_the_modules_reason_and_leaves_it_disabled()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        Fixture.Set($"Modules:{Id}:VetoEnable", "The licence has expired; renew it first.");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("The licence has expired; renew it first.", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Null(Fixture.Module(Id).FailureReason);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(2, Fixture.Count("before-enable"));
        Assert.Equal(1, Fixture.Count("enable"));
        Assert.False((await Fixture.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);
    }

    [Fact]
    public async Task Once_the_veto_is_lifted_the_module_can_be_enabled()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        Fixture.Set($"Modules:{Id}:VetoEnable", "Not now.");
        await manager.EnableAsync(Id, CancellationToken.None);
        Fixture.Set($"Modules:{Id}:VetoEnable", null);

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(2, Fixture.Count("enable"));
    }

    [Fact]
    public async Task A_module_that_failed_before_it_was_ever_installed_is_installed_when_enabled_after_being_disabled()
    {
        Fixture.Set($"Modules:{Id}:FailConfigureServices", "Missing setting ApiKey.");
        var manager = await Fixture.StartAsync();
        Assert.Equal(ModuleState.Failed, State);
        Assert.Null(Fixture.Module(Id).InstalledVersion);

        Assert.Equal(ModuleOperationStatus.Done, (await manager.DisableAsync(Id, null, CancellationToken.None)).Status);
        manager = await Fixture.RestartAsync();
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Null(Fixture.Module(Id).InstalledVersion);
        Fixture.Set($"Modules:{Id}:FailConfigureServices", null);

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
        Assert.Equal("1.0.0", Fixture.Module(Id).InstalledVersion);
    }

    [Fact]
    public async Task Enabling_a_module_that_cannot_load_reports_Failed_with_the_reason()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        Fixture.Set($"Modules:{Id}:FailConfigureServices", "Broken on purpose.");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Contains("Broken on purpose.", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Failed, State);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(1, Fixture.Count("enable"));
    }

    [Fact]
    public async Task Enabling_an_enabled_module_that_failed_to_load_brings_it_back_without_running_enable_hooks_again()
    {
        await Fixture.StartAsync();
        await Fixture.StopAsync();
        Fixture.Set($"Modules:{Id}:FailConfigureServices", "Missing setting ApiKey.");
        var manager = await Fixture.StartAsync();
        Assert.Equal(ModuleState.Failed, State);
        Fixture.Set($"Modules:{Id}:FailConfigureServices", null);

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(Id, Assert.Single(manager.Registry.EnabledModules).Id);
        Assert.Equal(["install", "before-enable", "enable"], Fixture.HookCalls());
    }

    [Fact]
    public async Task Operations_on_an_unknown_module_say_it_is_not_installed()
    {
        var manager = await Fixture.StartAsync();

        var enable = await manager.EnableAsync("test-nobody", CancellationToken.None);
        var disable = await manager.DisableAsync("test-nobody", null, CancellationToken.None);
        var uninstall = await manager.UninstallAsync("test-nobody", keepData: false, CancellationToken.None);

        Assert.All([enable, disable, uninstall], r => Assert.Equal(ModuleOperationStatus.NotFound, r.Status));
        Assert.Equal("No module 'test-nobody' is installed.", enable.Message);
    }
}
