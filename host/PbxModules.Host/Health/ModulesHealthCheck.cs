using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;

namespace PbxModules.Host.Health;

/// <summary>
/// Modules are Healthy when none has failed; Degraded when one failed to load (the daemon still serves the
/// others); Unhealthy while one is quarantined by the crash-loop breaker (its calls get its fail mode), with
/// the reason and when it is tried again. Its data also counts the load contexts of unloaded modules the
/// runtime has not collected yet (memory kept until a restart, not a fault: see docs/UNLOADING.md).
/// </summary>
internal sealed class ModulesHealthCheck(IModuleRegistry registry, ModuleCrashBreaker breaker, UnloadedModuleContexts unloaded) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var modules = registry.GetModules();
        var failed = modules.Where(m => m.State == ModuleState.Failed).Select(m => m.Id).ToList();
        var quarantined = breaker.Quarantined
            .Where(q => modules.Any(m => m.Id == q.Key && m.State == ModuleState.Enabled))
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .ToList();
        var alive = unloaded.StillAlive();
        var data = new Dictionary<string, object>
        {
            ["enabled"] = modules.Count(m => m.State == ModuleState.Enabled),
            ["disabled"] = modules.Count(m => m.State == ModuleState.Disabled),
            ["failed"] = failed.Count,
            ["quarantined"] = quarantined.Count,
            ["unloadedContexts"] = unloaded.Unloaded,
            ["unloadedContextsAlive"] = alive.Count,
        };
        foreach (var group in alive.GroupBy(c => c.ModuleId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            data[$"unloadedContextsAlive:{group.Key}"] = group.Count();
        foreach (var (id, q) in quarantined)
            data[$"quarantine:{id}"] = new { reason = q.Reason, since = q.Since, retryAt = q.RetryAt, trips = q.Trips, retrying = q.Retrying };

        if (quarantined.Count > 0)
        {
            var what = string.Join("; ", quarantined.Select(q => q.Value.Retrying
                ? $"{q.Key} quarantined, trial calls being let through since {q.Value.RetryAt:u} ({q.Value.Reason})"
                : $"{q.Key} quarantined until {q.Value.RetryAt:u} ({q.Value.Reason})"));
            var failedToo = failed.Count == 0 ? string.Empty : $" Failed: {string.Join(", ", failed)}.";
            return Task.FromResult(HealthCheckResult.Unhealthy($"Quarantined: {what}. Its calls get its fail mode until it recovers.{failedToo}", data: data));
        }
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy($"{modules.Count} module(s) installed", data)
            : HealthCheckResult.Degraded($"Failed: {string.Join(", ", failed)}. See /pbxcore/api/v3/modules for the reasons.", data: data));
    }
}
