using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>Disabling: before-disable may veto (unless the host disables by itself), disable runs once, dependents go first.</summary>
public sealed class DisableTransitionTests : ModuleLifecycleTestBase
{
    [Fact]
    public async Task Disabling_asks_the_module_then_calls_disable_once_and_unloads_it()
    {
        var manager = await Fixture.StartAsync();

        var result = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Disabled, result.Module!.State);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Empty(manager.Registry.EnabledModules);
        Assert.Equal(["install", "before-enable", "enable", "before-disable", "disable"], Fixture.HookCalls());
    }

    [Fact]
    public async Task Disabling_a_disabled_module_again_calls_no_hook()
    {
        var manager = await Fixture.StartAsync();
        await manager.DisableAsync(Id, null, CancellationToken.None);

        var again = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, again.Status);
        Assert.Contains("already disabled", again.Message, StringComparison.Ordinal);
        Assert.Equal(1, Fixture.Count("disable"));
        Assert.Equal(1, Fixture.Count("before-disable"));
    }

    [Fact]
    public async Task A_before_disable_veto_refuses_with_the_modules_reason_and_leaves_it_enabled()
    {
        var manager = await Fixture.StartAsync();
        Fixture.Set($"Modules:{Id}:VetoDisable", "Calls are being recorded; stop the campaign first.");

        var result = await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Contains("Calls are being recorded; stop the campaign first.", result.Message, StringComparison.Ordinal);
        Assert.Equal(ModuleState.Enabled, State);
        Assert.Single(manager.Registry.EnabledModules);
        Assert.Equal(1, Fixture.Count("before-disable"));
        Assert.Equal(0, Fixture.Count("disable"));
        Assert.True((await Fixture.Store.GetAllAsync(CancellationToken.None))[Id].Enabled);

        await Fixture.RestartAsync();
        Assert.Equal(ModuleState.Enabled, State);
    }

    [Fact]
    public async Task The_host_disabling_a_module_by_itself_skips_the_veto_and_records_why()
    {
        var manager = await Fixture.StartAsync();
        Fixture.Set($"Modules:{Id}:VetoDisable", "Never.");

        var result = await manager.DisableAsync(Id, "It crashed 5 times in a minute.", CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Equal("It crashed 5 times in a minute.", Fixture.Module(Id).FailureReason);
        Assert.Equal(0, Fixture.Count("before-disable"));
        Assert.Equal(1, Fixture.Count("disable"));

        await Fixture.RestartAsync();
        Assert.Equal(ModuleState.Disabled, State);
        Assert.Equal("It crashed 5 times in a minute.", Fixture.Module(Id).FailureReason);
    }

    [Fact]
    public async Task A_module_another_enabled_module_depends_on_cannot_be_disabled_until_the_dependent_is()
    {
        Fixture.AddModule("GoodModule", "Dependent");
        Fixture.EditManifest("Dependent", m =>
        {
            m["id"] = "test-dependent";
            m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { [Id] = "^1.0.0" };
        });
        var manager = await Fixture.StartAsync();

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
    public async Task When_the_host_disables_a_module_by_itself_its_dependents_are_disabled_first_and_stay_disabled_after_a_restart()
    {
        Fixture.AddModule("GoodModule", "Dependent");
        Fixture.EditManifest("Dependent", m =>
        {
            m["id"] = "test-dependent";
            m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { [Id] = "^1.0.0" };
        });
        var manager = await Fixture.StartAsync();

        var result = await manager.DisableAsync(Id, "It crashed 5 times in a minute.", CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Empty(manager.Registry.EnabledModules);
        var dependent = Fixture.Module("test-dependent");
        Assert.Equal(ModuleState.Disabled, dependent.State);
        Assert.Equal($"Module '{Id}', which it depends on, was disabled: It crashed 5 times in a minute.", dependent.FailureReason);

        await Fixture.RestartAsync();

        dependent = Fixture.Module("test-dependent");
        Assert.Equal(ModuleState.Disabled, dependent.State);
        Assert.Equal($"Module '{Id}', which it depends on, was disabled: It crashed 5 times in a minute.", dependent.FailureReason);
        Assert.False((await Fixture.Store.GetAllAsync(CancellationToken.None))["test-dependent"].Enabled);
    }
}
