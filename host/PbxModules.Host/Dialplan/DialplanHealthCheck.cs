using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PbxModules.Host.Dialplan;

/// <summary>The dialplan is Healthy when written and reloaded; Degraded when writing or reloading failed (the error says why).</summary>
internal sealed class DialplanHealthCheck(DialplanService dialplan) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = dialplan.LastStatus;
        var data = new Dictionary<string, object> { ["path"] = dialplan.FilePath };
        if (status is null) return Task.FromResult(HealthCheckResult.Degraded("Not written yet.", data: data));
        data["appliedAt"] = status.AppliedAt;
        data["reloaded"] = status.Reloaded;
        return Task.FromResult(status.Error is null
            ? HealthCheckResult.Healthy($"{dialplan.Current?.Blocks.Count ?? 0} module block(s) written", data)
            : HealthCheckResult.Degraded(status.Error, data: data));
    }
}
