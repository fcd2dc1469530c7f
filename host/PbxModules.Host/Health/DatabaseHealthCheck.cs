using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Host.HostData;

namespace PbxModules.Host.Health;

/// <summary>The host database answers a trivial query.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<HostDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("Host database reachable")
                : HealthCheckResult.Unhealthy("Host database cannot be opened: check Paths:Data and its permissions.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"Host database error: {ex.Message}");
        }
    }
}
