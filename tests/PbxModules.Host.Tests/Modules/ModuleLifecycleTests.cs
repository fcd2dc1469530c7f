using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// Lifecycle hooks run once per transition, not once per process start. The good test module
/// appends one line per hook call to a log in its data folder, which survives restarts.
/// </summary>
public sealed class ModuleLifecycleTests : IAsyncLifetime
{
    private const string Id = ModuleHostFixture.GoodId;
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync()
    {
        _host.AddModule("GoodModule");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private ModuleState State => _host.Module(Id).State;

    [Fact]
    public async Task The_first_start_installs_then_asks_and_enables_the_module_once()
    {
        await _host.StartAsync();

        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task A_restart_runs_no_lifecycle_hook_again()
    {
        await _host.StartAsync();

        await _host.RestartAsync();
        await _host.RestartAsync();

        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Single(_host.Manager.Registry.EnabledModules);
    }

    [Fact]
    public async Task Disabling_asks_the_module_then_calls_disable_once_and_unloads_it()
    {
        var manager = await _host.StartAsync();

        var result = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Disabled, result.Module!.State);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable"], _host.HookCalls());
    }

    [Fact]
    public async Task Disabling_a_disabled_module_again_calls_no_hook()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);

        var again = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, again.Status);
        Assert.Contains("already disabled", again.Message, StringComparison.Ordinal);
        Assert.Equal(1, _host.Count("disable"));
        Assert.Equal(1, _host.Count("before-disable"));
    }

    [Fact]
    public async Task Each_disable_calls_the_disable_hook_once_and_each_re_enable_calls_before_enable_and_enable_once()
    {
        var manager = await _host.StartAsync();

        for (var cycle = 1; cycle <= 3; cycle++)
        {
            Assert.Equal(ModuleOperationStatus.Done, (await manager.DisableAsync(Id, null, CancellationToken.None)).Status);
            Assert.Equal(cycle, _host.Count("before-disable"));
            Assert.Equal(cycle, _host.Count("disable"));

            Assert.Equal(ModuleOperationStatus.Done, (await manager.EnableAsync(Id, CancellationToken.None)).Status);
            Assert.Equal(cycle + 1, _host.Count("before-enable"));
            Assert.Equal(cycle + 1, _host.Count("enable"));
            Assert.Equal(ModuleState.Enabled, State);
        }

        Assert.Equal(1, _host.Count("install"));
        Assert.Equal(
            ["install", "before-enable", "enable", "before-disable", "disable", "before-enable", "enable"],
            _host.HookCalls().Take(7));
    }

    [Fact]
    public async Task Enabling_an_enabled_module_calls_no_hook()
    {
        var manager = await _host.StartAsync();

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Contains("already enabled", result.Message, StringComparison.Ordinal);
        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
    }

    [Fact]
    public async Task Raising_the_version_between_restarts_calls_upgrade_once_with_the_old_version()
    {
        await _host.StartAsync();
        await _host.StopAsync();
        _host.EditManifest("GoodModule", m => m["version"] = "1.1.0");

        await _host.StartAsync();
        await _host.RestartAsync();

        Assert.Equal(["install", "before-enable", "enable", "upgrade from 1.0.0"], _host.HookCalls());
        var info = _host.Module(Id);
        Assert.Equal(ModuleState.Enabled, info.State);
        Assert.Equal("1.1.0", info.Version);
        Assert.Equal("1.1.0", info.InstalledVersion);
        Assert.Equal("1.1.0", (await _host.Store.GetAllAsync(CancellationToken.None))[Id].InstalledVersion);
    }

    [Fact]
    public async Task A_disabled_module_is_upgraded_when_it_is_enabled_again()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        await _host.StopAsync();
        _host.EditManifest("GoodModule", m => m["version"] = "2.0.0");

        manager = await _host.StartAsync();
        Assert.Equal(0, _host.Count("upgrade from 1.0.0"));
        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(1, _host.Count("upgrade from 1.0.0"));
        Assert.Equal("2.0.0", _host.Module(Id).InstalledVersion);
    }

    [Fact]
    public async Task Lowering_the_version_between_restarts_is_refused_as_a_downgrade_and_calls_no_hook()
    {
        await _host.StartAsync();
        await _host.StopAsync();
        _host.EditManifest("GoodModule", m => m["version"] = "0.9.0");

        var manager = await _host.StartAsync();

        var info = _host.Module(Id);
        Assert.Equal(ModuleState.Failed, info.State);
        Assert.Equal("Version 0.9.0 is older than the installed 1.0.0; downgrades are refused to protect the module's data. Install 1.0.0 or newer.", info.FailureReason);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
        Assert.Equal("1.0.0", (await _host.Store.GetAllAsync(CancellationToken.None))[Id].InstalledVersion);
    }

    [Fact]
    public async Task A_before_enable_veto_refuses_with_the_modules_reason_and_leaves_it_disabled()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        _host.Set($"Modules:{Id}:VetoEnable", "The licence has expired; renew it first.");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("The licence has expired; renew it first.", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Null(_host.Module(Id).FailureReason);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(2, _host.Count("before-enable"));
        Assert.Equal(1, _host.Count("enable"));
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);
    }

    [Fact]
    public async Task Once_the_veto_is_lifted_the_module_can_be_enabled()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        _host.Set($"Modules:{Id}:VetoEnable", "Not now.");
        await manager.EnableAsync(Id, CancellationToken.None);
        _host.Set($"Modules:{Id}:VetoEnable", null);

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(2, _host.Count("enable"));
    }

    [Fact]
    public async Task A_veto_at_first_install_installs_the_module_but_leaves_it_disabled_across_restarts()
    {
        _host.Set($"Modules:{Id}:VetoEnable", "Configure the API key first.");

        await _host.StartAsync();

        Assert.Equal(["install", "before-enable"], _host.HookCalls());
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Equal("1.0.0", _host.Module(Id).InstalledVersion);

        await _host.RestartAsync();

        Assert.Equal(["install", "before-enable"], _host.HookCalls());
        Assert.Equal(ModuleState.Disabled, State);
    }

    [Fact]
    public async Task A_before_disable_veto_refuses_with_the_modules_reason_and_leaves_it_enabled()
    {
        var manager = await _host.StartAsync();
        _host.Set($"Modules:{Id}:VetoDisable", "Calls are being recorded; stop the campaign first.");

        var result = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("Calls are being recorded; stop the campaign first.", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Single(manager.Registry.EnabledModules);
        Assert.Equal(1, _host.Count("before-disable"));
        Assert.Equal(0, _host.Count("disable"));
        Assert.True((await _host.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);

        await _host.RestartAsync();
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task The_host_disabling_a_module_by_itself_skips_the_veto_and_records_why()
    {
        var manager = await _host.StartAsync();
        _host.Set($"Modules:{Id}:VetoDisable", "Never.");

        var result = await manager.DisableAsync(Id, "It crashed 5 times in a minute.", CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Equal("It crashed 5 times in a minute.", _host.Module(Id).FailureReason);
        Assert.Equal(0, _host.Count("before-disable"));
        Assert.Equal(1, _host.Count("disable"));

        await _host.RestartAsync();
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Equal("It crashed 5 times in a minute.", _host.Module(Id).FailureReason);
    }

    [Fact]
    public async Task Disable_and_enable_are_persisted_across_restarts()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);

        manager = await _host.RestartAsync();

        Assert.Equal(ModuleState.Disabled, State);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);

        Assert.Equal(ModuleOperationStatus.Done, (await manager.EnableAsync(Id, CancellationToken.None)).Status);
        manager = await _host.RestartAsync();

        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(Id, Assert.Single(manager.Registry.EnabledModules).Id);
        Assert.True((await _host.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable", "before-enable", "enable"], _host.HookCalls());
    }

    [Fact]
    public async Task Uninstalling_with_keepData_calls_the_hook_once_and_removes_the_record_and_folder_but_keeps_the_data()
    {
        var manager = await _host.StartAsync();
        var folder = Path.Combine(_host.ModulesDirectory, "GoodModule");

        var result = await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Null(result.Module);
        Assert.Contains("data was kept", result.Message, StringComparison.Ordinal);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable", "uninstall keepData=True"], _host.HookCalls());
        Assert.Null(manager.Registry.GetModule(Id));
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.False(Directory.Exists(folder));
        Assert.True(Directory.Exists(_host.ModuleDataDirectory(Id)));
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None)).ContainsKey(Id));

        await _host.RestartAsync();
        Assert.Null(_host.Manager.Registry.GetModule(Id));
    }

    [Fact]
    public async Task Uninstalling_without_keepData_calls_the_hook_once_and_deletes_the_data_too()
    {
        var log = Path.Combine(_host.Root, "hooks-outside-data.log");
        _host.Set($"Modules:{Id}:HookLog", log);
        var manager = await _host.StartAsync();
        File.WriteAllText(Path.Combine(_host.ModuleDataDirectory(Id), "numbers.txt"), "data");

        var result = await manager.UninstallAsync(Id, keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(1, _host.Count("uninstall keepData=False", log));
        Assert.False(Directory.Exists(_host.ModuleDataDirectory(Id)));
        Assert.False(Directory.Exists(Path.Combine(_host.ModulesDirectory, "GoodModule")));
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None)).ContainsKey(Id));
    }

    [Fact]
    public async Task A_before_disable_veto_also_stops_an_uninstall()
    {
        var manager = await _host.StartAsync();
        _host.Set($"Modules:{Id}:VetoDisable", "Still in use.");

        var result = await manager.UninstallAsync(Id, keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("Still in use.", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, _host.Count("uninstall keepData=False"));
        Assert.Equal(ModuleState.Enabled, State);
        Assert.True(Directory.Exists(Path.Combine(_host.ModulesDirectory, "GoodModule")));
    }

    [Fact]
    public async Task A_module_reinstalled_after_an_uninstall_that_kept_its_data_is_installed_again()
    {
        var manager = await _host.StartAsync();
        await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);
        await _host.StopAsync();
        _host.AddModule("GoodModule");

        await _host.StartAsync();

        Assert.Equal(2, _host.Count("install"));
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task Operations_on_an_unknown_module_say_it_is_not_installed()
    {
        var manager = await _host.StartAsync();

        var enable = await manager.EnableAsync("test-nobody", CancellationToken.None);
        var disable = await manager.DisableAsync("test-nobody", null, CancellationToken.None);
        var uninstall = await manager.UninstallAsync("test-nobody", keepData: false, CancellationToken.None);

        Assert.All([enable, disable, uninstall], r => Assert.Equal(ModuleOperationStatus.NotFound, r.Status));
        Assert.Equal("No module 'test-nobody' is installed.", enable.Message);
    }

    [Fact]
    public async Task A_module_another_enabled_module_depends_on_cannot_be_disabled_until_the_dependent_is()
    {
        _host.AddModule("GoodModule", "Dependent");
        _host.EditManifest("Dependent", m =>
        {
            m["id"] = "test-dependent";
            m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { [Id] = "^1.0.0" };
        });
        var manager = await _host.StartAsync();

        var refused = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, refused.Status);
        Assert.Contains("needed by 'test-dependent'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Enabled, State);

        Assert.Equal(ModuleOperationStatus.Done, (await manager.DisableAsync("test-dependent", null, CancellationToken.None)).Status);
        Assert.Equal(ModuleOperationStatus.Done, (await manager.DisableAsync(Id, null, CancellationToken.None)).Status);
        var enableDependent = await manager.EnableAsync("test-dependent", CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Refused, enableDependent.Status);
        Assert.Contains($"depends on '{Id}', which is not enabled", enableDependent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_that_failed_before_it_was_ever_installed_is_installed_when_enabled_after_being_disabled()
    {
        _host.Set($"Modules:{Id}:FailConfigureServices", "Missing setting ApiKey.");
        var manager = await _host.StartAsync();
        Assert.Equal(ModuleState.Failed, State);
        Assert.Null(_host.Module(Id).InstalledVersion);

        Assert.Equal(ModuleOperationStatus.Done, (await manager.DisableAsync(Id, null, CancellationToken.None)).Status);
        manager = await _host.RestartAsync();
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Null(_host.Module(Id).InstalledVersion);
        _host.Set($"Modules:{Id}:FailConfigureServices", null);

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
        Assert.Equal("1.0.0", _host.Module(Id).InstalledVersion);
    }

    [Fact]
    public async Task A_module_that_fails_to_load_at_first_start_is_installed_once_it_loads()
    {
        _host.Set($"Modules:{Id}:FailConfigureServices", "Missing setting ApiKey.");
        await _host.StartAsync();
        Assert.Equal(ModuleState.Failed, State);
        Assert.Equal("GoodMain.ConfigureServices threw InvalidOperationException: Missing setting ApiKey.", _host.Module(Id).FailureReason);
        Assert.Empty(_host.HookCalls());
        _host.Set($"Modules:{Id}:FailConfigureServices", null);

        await _host.RestartAsync();

        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
    }

    [Fact]
    public async Task Enabling_a_module_that_cannot_load_reports_Failed_with_the_reason()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        _host.Set($"Modules:{Id}:FailConfigureServices", "Broken on purpose.");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Contains("Broken on purpose.", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Failed, State);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(1, _host.Count("enable"));
    }

    [Fact]
    public async Task When_the_host_disables_a_module_by_itself_its_dependents_are_disabled_first_and_stay_disabled_after_a_restart()
    {
        _host.AddModule("GoodModule", "Dependent");
        _host.EditManifest("Dependent", m =>
        {
            m["id"] = "test-dependent";
            m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { [Id] = "^1.0.0" };
        });
        var manager = await _host.StartAsync();

        var result = await manager.DisableAsync(Id, "It crashed 5 times in a minute.", CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Empty(manager.Registry.EnabledModules);
        var dependent = _host.Module("test-dependent");
        Assert.Equal(ModuleState.Disabled, dependent.State);
        Assert.Equal($"Module '{Id}', which it depends on, was disabled: It crashed 5 times in a minute.", dependent.FailureReason);

        await _host.RestartAsync();

        dependent = _host.Module("test-dependent");
        Assert.Equal(ModuleState.Disabled, dependent.State);
        Assert.Equal($"Module '{Id}', which it depends on, was disabled: It crashed 5 times in a minute.", dependent.FailureReason);
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None))["test-dependent"].Enabled);
    }

    [Fact]
    public async Task Uninstalling_a_disabled_module_calls_only_its_uninstall_hook()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);

        var result = await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable", "uninstall keepData=True"], _host.HookCalls());
    }

    [Fact]
    public async Task A_module_that_never_loaded_can_be_uninstalled_without_running_any_hook()
    {
        _host.AddModule("ThrowingModule");
        var manager = await _host.StartAsync();
        Assert.Equal(ModuleState.Failed, _host.Module("test-throws").State);

        var result = await manager.UninstallAsync("test-throws", keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Null(manager.Registry.GetModule("test-throws"));
        Assert.False(Directory.Exists(Path.Combine(_host.ModulesDirectory, "ThrowingModule")));
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None)).ContainsKey("test-throws"));
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task Enabling_an_enabled_module_that_failed_to_load_brings_it_back_without_running_enable_hooks_again()
    {
        await _host.StartAsync();
        await _host.StopAsync();
        _host.Set($"Modules:{Id}:FailConfigureServices", "Missing setting ApiKey.");
        var manager = await _host.StartAsync();
        Assert.Equal(ModuleState.Failed, State);
        _host.Set($"Modules:{Id}:FailConfigureServices", null);

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(Id, Assert.Single(manager.Registry.EnabledModules).Id);
        Assert.Equal(["install", "before-enable", "enable"], _host.HookCalls());
    }
}
