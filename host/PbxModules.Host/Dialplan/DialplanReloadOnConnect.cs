using PbxModules.Asterisk.Ami;

namespace PbxModules.Host.Dialplan;

/// <summary>Sends a dialplan reload that was written while AMI was down, as soon as AMI logs in.</summary>
/// <remarks>Without an AMI client (a host that runs no AMI surface) there is nothing to wait for.</remarks>
internal sealed class DialplanReloadOnConnect(DialplanService dialplan, AmiClient? client = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (client is not null) client.StateChanged += OnStateChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (client is not null) client.StateChanged -= OnStateChanged;
        return Task.CompletedTask;
    }

    private void OnStateChanged(object? sender, AmiConnectionStateChangedEventArgs e)
    {
        if (e.Current == AmiConnectionState.Connected) _ = dialplan.ReloadIfPendingAsync(CancellationToken.None);
    }
}
