using PbxModules.Host.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>
/// Writes the dialplan once all modules have started (hosted services start in registration order),
/// and leaves it as it is when the host stops. Modules are wired out in the host's stopping phase
/// (<see cref="ModuleHostedService.StoppingAsync"/>), so the dialplan must stop following them in
/// that phase too, not later in <see cref="StopAsync"/>: otherwise every shutdown rewrote the file
/// without any module's lines and the PBX ran without its hooks (fail-open) while the daemon was
/// down. Stopping hooks run in reverse registration order, this one before the modules'; the
/// application-stopping token (fired first on SIGTERM) covers the other order as well.
/// </summary>
internal sealed class DialplanStartup(DialplanService dialplan, IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(dialplan.StopFollowingModules);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => dialplan.ApplyAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        dialplan.StopFollowingModules();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        dialplan.StopFollowingModules();
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
