using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>The registry the manager writes: what the surfaces read, and when it changes.</summary>
public sealed class ModuleRegistryTests : IAsyncLifetime
{
    private const string Id = ModuleHostFixture.GoodId;
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync()
    {
        _host.AddModule("GoodModule");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Each_transition_publishes_a_new_snapshot_and_fires_the_change_token()
    {
        var manager = await _host.StartAsync();
        var registry = manager.Registry;
        var before = registry.GetModules();
        var token = registry.GetChangeToken();
        var fired = false;
        using var registration = token.RegisterChangeCallback(_ => fired = true, null);

        await manager.DisableAsync(Id, null, CancellationToken.None);

        Assert.True(token.HasChanged);
        Assert.True(fired);
        Assert.Equal(ModuleState.Enabled, Assert.Single(before).State);
        Assert.Equal(ModuleState.Disabled, registry.GetModule(Id)!.State);
        Assert.Empty(registry.EnabledModules);
        Assert.False(registry.GetChangeToken().HasChanged);
    }

    [Fact]
    public async Task The_enabled_modules_are_the_loaded_ones_and_an_unknown_id_is_null()
    {
        var manager = await _host.StartAsync();

        Assert.Equal(Id, Assert.Single(manager.Registry.EnabledModules).Id);
        Assert.Null(manager.Registry.GetModule("no-such-module"));
    }

    [Fact]
    public async Task At_shutdown_the_modules_stay_listed_but_none_is_loaded()
    {
        var manager = await _host.StartAsync();
        var registry = manager.Registry;

        await manager.StopAsync(CancellationToken.None);

        Assert.Equal(Id, Assert.Single(registry.GetModules()).Id);
        Assert.Empty(registry.EnabledModules);
    }
}
