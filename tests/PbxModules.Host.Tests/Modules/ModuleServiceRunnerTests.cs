using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>The module's <c>IModuleService</c>s start with it; one that fails to start fails the module, named after its type.</summary>
public sealed class ModuleServiceRunnerTests : IAsyncLifetime
{
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync()
    {
        _host.AddModule("GoodModule");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_service_that_throws_after_an_await_fails_the_module_under_its_own_type_name()
    {
        // The exception's TargetSite is the compiler's state machine (<StartAsync>d__…): the reason must name GoodService.
        _host.Set($"Modules:{ModuleHostFixture.GoodId}:ServiceStartFails", "the service cannot start on purpose");

        await _host.StartAsync();

        var module = _host.Module(ModuleHostFixture.GoodId);
        Assert.Equal(ModuleState.Failed, module.State);
        Assert.Contains("Service GoodService failed to start: the service cannot start on purpose", module.FailureReason, StringComparison.Ordinal);
    }
}
