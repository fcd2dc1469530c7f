using Microsoft.Extensions.Hosting;

namespace PbxModules.Asterisk.Ami;

/// <summary>Starts the <see cref="AmiClient"/> with the host (it connects in the background) and stops it with the host.</summary>
internal sealed class AmiClientHostedService(AmiClient client) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => client.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => client.StopAsync(cancellationToken);
}
