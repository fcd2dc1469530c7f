using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// A module that throws from (or hangs in) a lifecycle hook is marked and its reason recorded; the
/// host and the other modules go on. Disabling and uninstalling always succeed.
/// </summary>
public sealed class ModuleHookFailureTests : IAsyncLifetime
{
    private const string Id = ModuleHostFixture.GoodId;
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync()
    {
        _host.AddModule("GoodModule");
        _host.AddModule("UsesDepV1Module");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private ModuleState State => _host.Module(Id).State;

    private void ThrowIn(string? hooks) => _host.Set($"Modules:{Id}:ThrowIn", hooks);

    private void AssertOtherModuleRuns() => Assert.Equal(ModuleState.Enabled, _host.Module("test-dep-v1").State);

    [Fact]
    public async Task A_throwing_install_hook_fails_the_module_and_the_install_is_retried_at_the_next_start()
    {
        ThrowIn("install");

        await _host.StartAsync();

        Assert.Equal(ModuleState.Failed, State);
        Assert.Equal("The install hook threw InvalidOperationException: The install hook of test-good fails on purpose.", _host.Module(Id).FailureReason);
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None)).ContainsKey(Id));
        AssertOtherModuleRuns();

        ThrowIn(null);
        await _host.RestartAsync();

        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal(["install", "install", "before-enable", "enable"], _host.HookCalls());
    }

    [Fact]
    public async Task A_throwing_enable_hook_fails_the_enable_and_leaves_the_module_recorded_as_disabled()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        ThrowIn("enable");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Contains("The enable hook threw InvalidOperationException", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Failed, State);
        Assert.DoesNotContain(manager.Registry.EnabledModules, m => m.Id == Id);
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);
        AssertOtherModuleRuns();

        ThrowIn(null);
        await _host.RestartAsync();
        Assert.Equal(ModuleState.Disabled, State);
    }

    [Fact]
    public async Task A_throwing_before_enable_hook_fails_the_enable_with_the_reason()
    {
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        ThrowIn("before-enable");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Contains("The before-enable hook threw InvalidOperationException", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Failed, State);
        Assert.Equal(1, _host.Count("enable"));
    }

    [Fact]
    public async Task A_throwing_disable_hook_is_logged_and_the_module_is_disabled_anyway()
    {
        var manager = await _host.StartAsync();
        ThrowIn("disable");

        var result = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.DoesNotContain(manager.Registry.EnabledModules, m => m.Id == Id);
        Assert.Equal(1, _host.Count("disable"));
        AssertOtherModuleRuns();
    }

    [Fact]
    public async Task A_throwing_before_disable_hook_does_not_escape_and_the_module_is_disabled_anyway()
    {
        var manager = await _host.StartAsync();
        ThrowIn("before-disable");

        var result = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.DoesNotContain(manager.Registry.EnabledModules, m => m.Id == Id);
        Assert.Equal(1, _host.Count("disable"));
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);
    }

    [Fact]
    public async Task A_throwing_uninstall_hook_is_logged_and_the_module_is_removed_anyway()
    {
        var manager = await _host.StartAsync();
        ThrowIn("uninstall");

        var result = await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(1, _host.Count("uninstall keepData=True"));
        Assert.Null(manager.Registry.GetModule(Id));
        Assert.False(Directory.Exists(Path.Combine(_host.ModulesDirectory, "GoodModule")));
        Assert.False((await _host.Store.GetAllAsync(CancellationToken.None)).ContainsKey(Id));
        AssertOtherModuleRuns();
    }

    [Fact]
    public async Task A_throwing_upgrade_hook_fails_the_module_keeps_the_old_version_and_the_upgrade_is_retried()
    {
        await _host.StartAsync();
        await _host.StopAsync();
        _host.EditManifest("GoodModule", m => m["version"] = "1.1.0");
        ThrowIn("upgrade");

        await _host.StartAsync();

        Assert.Equal(ModuleState.Failed, State);
        Assert.Equal("The upgrade hook threw InvalidOperationException: The upgrade hook of test-good fails on purpose.", _host.Module(Id).FailureReason);
        Assert.Equal("1.0.0", (await _host.Store.GetAllAsync(CancellationToken.None))[Id].InstalledVersion);
        AssertOtherModuleRuns();

        ThrowIn(null);
        await _host.RestartAsync();

        Assert.Equal(ModuleState.Enabled, State);
        Assert.Equal("1.1.0", _host.Module(Id).InstalledVersion);
        Assert.Equal(2, _host.Count("upgrade from 1.0.0"));
    }

    [Fact]
    public async Task A_hook_that_does_not_finish_within_the_lifecycle_timeout_fails_the_module_saying_so()
    {
        _host.Set("ModuleHost:LifecycleTimeout", "00:00:00.5");
        var manager = await _host.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);
        _host.Set($"Modules:{Id}:HangIn", "enable");

        var result = await manager.EnableAsync(Id, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Equal("The enable hook did not finish within 0.5 s.", _host.Module(Id).FailureReason);
        Assert.Equal(ModuleState.Failed, State);
        AssertOtherModuleRuns();
    }
}
