namespace PbxModules.Host.Packages.Installing;

/// <summary>At start, creates the incoming folder, or deletes the uploads and downloads a stopped daemon left behind (no request owns them any more).</summary>
internal sealed class IncomingPackagesCleanup(IncomingPackages incoming) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        incoming.PrepareFolder();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
