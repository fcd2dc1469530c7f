using Microsoft.EntityFrameworkCore;
using PbxModules.Host.HostData;

namespace PbxModules.Host.Modules;

/// <summary>
/// Brings modules up when the daemon starts (after the host database is migrated) and down when it
/// stops. A module's failure never fails this service: the daemon always starts.
/// </summary>
/// <remarks>
/// Modules are wired out in <see cref="StoppingAsync"/>, which the host runs before the
/// <see cref="IHostedService.StopAsync"/> of any hosted service. Modules use the services the host
/// runs (Quartz's scheduler, the AMI client, Kestrel), so they must leave while those still work:
/// stopping in <see cref="StopAsync"/> depended on the order of registration, and with Quartz
/// registered after the modules its hosted service shut the scheduler down first, so that every
/// graceful stop logged "ModuleJobScheduler failed to wire out module … has been shut down".
/// </remarks>
internal sealed class ModuleHostedService(ModuleManager manager, IDbContextFactory<HostDbContext> database) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await HostDatabase.MigrateAsync(database, cancellationToken);
        await manager.StartAsync(cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => manager.StopAsync(cancellationToken);

    /// <summary>Stops what is still loaded: nothing once <see cref="StoppingAsync"/> ran (a second stop finds no module loaded), everything for a caller that only calls this.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => manager.StopAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
