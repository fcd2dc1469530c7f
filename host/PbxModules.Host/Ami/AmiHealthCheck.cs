using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Asterisk.Ami;

namespace PbxModules.Host.Ami;

/// <summary>
/// AMI is Healthy when logged in and no worker lost events recently; Degraded otherwise. Not connected:
/// the daemon still serves AGI and REST while the client reconnects in the background, so a missing
/// Asterisk is not a dead daemon. Events lost: a worker whose queue overflowed within
/// <see cref="AmiClientOptions.SubscriberDropWindow"/> (default 1 min) missed part of what Asterisk said
/// (e.g. flood protection missed calls), which must show, named, with the count; it is Healthy again
/// once a whole window passes without a drop.
/// </summary>
internal sealed class AmiHealthCheck(AmiClient client) : IHealthCheck
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

        var lossy = new List<string>();
        foreach (var subscriber in client.Subscribers)
        {
            var stats = subscriber.Stats;
            data[$"worker:{subscriber.Name}"] = stats.ToString();
            var recent = stats.DroppedRecently;
            if (recent == 0) continue;
            data[$"worker:{subscriber.Name}:droppedLastMinute"] = recent;
            lossy.Add(string.Create(CultureInfo.InvariantCulture,
                $"worker '{subscriber.Name}' dropped {recent} events in the last {stats.DropWindow.TotalSeconds:0} s (queue of {stats.QueueCapacity} full)"));
        }

        if (!client.IsConnected)
        {
            var down = $"Not connected to {client.Options.Endpoint} ({client.LastError ?? client.State.ToString()}); reconnecting in the background.";
            if (lossy.Count > 0) down += " Also " + string.Join("; ", lossy) + ".";
            return Task.FromResult(HealthCheckResult.Degraded(down, data: data));
        }

        if (lossy.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Logged in to {client.Options.Endpoint}, but events are being lost: {string.Join("; ", lossy)}. See the log's warnings.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Logged in to {client.Options.Endpoint}", data));
    }
}
