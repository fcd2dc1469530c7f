using Microsoft.EntityFrameworkCore;
using PbxModules.Host.Data;

namespace PbxModules.Host.Modules;

/// <summary>
/// Brings modules up when the daemon starts (after the host database is migrated) and down when it
/// stops. A module's failure never fails this service: the daemon always starts.
/// </summary>
internal sealed class ModuleHostedService(ModuleManager manager, IDbContextFactory<HostDbContext> database) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await HostDatabase.MigrateAsync(database, cancellationToken);
        await manager.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => manager.StopAsync(cancellationToken);
}
