using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>
/// Lifecycle hooks run once per transition, not once per process start. The good test module
/// appends one line per hook call to a log in its data folder, which survives restarts.
/// </summary>
public abstract class ModuleLifecycleTestBase : IAsyncLifetime
{
    protected const string Id = ModuleHostFixture.GoodId;

    protected ModuleHostFixture Fixture { get; } = new();

    protected ModuleState State => Fixture.Module(Id).State;

    public Task InitializeAsync()
    {
        Fixture.AddModule("GoodModule");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Fixture.DisposeAsync().AsTask();
}
