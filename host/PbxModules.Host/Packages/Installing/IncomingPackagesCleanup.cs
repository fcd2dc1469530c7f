namespace PbxModules.Host.Packages.Installing;

/// <summary>Deletes, at start, the uploads and downloads a stopped daemon left behind (no request owns them any more).</summary>
internal sealed class IncomingPackagesCleanup(IncomingPackages incoming) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        incoming.DeleteLeftovers();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
