using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Health;

/// <summary>Modules are Healthy when none has failed, Degraded otherwise (the daemon still serves the others).</summary>
internal sealed class ModulesHealthCheck(ModuleManager manager) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var modules = manager.GetModules();
        var failed = modules.Where(m => m.State == ModuleState.Failed).Select(m => m.Id).ToList();
        var data = new Dictionary<string, object>
        {
            ["enabled"] = modules.Count(m => m.State == ModuleState.Enabled),
            ["disabled"] = modules.Count(m => m.State == ModuleState.Disabled),
            ["failed"] = failed.Count,
        };
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy($"{modules.Count} module(s) installed", data)
            : HealthCheckResult.Degraded($"Failed: {string.Join(", ", failed)}. See /pbxcore/api/v3/modules for the reasons.", data: data));
    }
}
