using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Asterisk.Ami;

namespace PbxModules.Host.Ami;

/// <summary>
/// AMI is Healthy when logged in, Degraded otherwise: the daemon still serves AGI and REST while
/// the client reconnects in the background, so a missing Asterisk is not a dead daemon.
/// </summary>
internal sealed class AmiHealthCheck(AmiClient client, AmiWorkerSupervisor workers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["transport"] = client.Options.Transport.ToString(),
            ["endpoint"] = client.Options.Endpoint,
            ["state"] = client.State.ToString(),
        };
        if (client.Server is { } server) data["server"] = server;
        if (client.ConnectedSince is { } since) data["connectedSince"] = since;
        foreach (var (module, runners) in workers.Workers)
            foreach (var (name, stats) in runners)
                data[$"worker:{name}"] = stats.ToString();

        return Task.FromResult(client.IsConnected
            ? HealthCheckResult.Healthy($"Logged in to {client.Options.Endpoint}", data)
            : HealthCheckResult.Degraded($"Not connected to {client.Options.Endpoint} ({client.LastError ?? client.State.ToString()}); reconnecting in the background.", data: data));
    }
}
