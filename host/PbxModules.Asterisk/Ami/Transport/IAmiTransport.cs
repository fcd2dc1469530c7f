using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>
/// One connection attempt's worth of wire: TCP socket or HTTP session. It hands every received frame
/// to the client (which correlates and dispatches), and reports through <see cref="Closed"/> when it
/// is gone. The client creates a new transport for every reconnect.
/// </summary>
internal interface IAmiTransport : IAsyncDisposable
{
    /// <summary>The server's identification for logs (TCP banner, HTTP server).</summary>
    string ServerDescription { get; }

    /// <summary>Completes, with the reason, when the connection is lost or aborted. Never faults.</summary>
    Task<Exception> Closed { get; }

    /// <summary>Connects (TCP: socket and banner).</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Logs in; throws <see cref="AmiAuthenticationException"/> when refused.</summary>
    Task AuthenticateAsync(AmiActionSender send, CancellationToken cancellationToken);

    /// <summary>
    /// Puts one action on the wire. Its answer arrives through the frame callback (over HTTP, before
    /// this returns). Throws <see cref="IOException"/> or <see cref="HttpRequestException"/> when the
    /// connection fails.
    /// </summary>
    Task SendAsync(AmiAction action, string actionId, CancellationToken cancellationToken);

    /// <summary>Starts delivering events (HTTP: the <c>waitevent</c> loop). Called once logged in.</summary>
    void StartEvents();

    /// <summary>Closes the connection now; <see cref="Closed"/> completes with <paramref name="reason"/>.</summary>
    void Abort(Exception reason);
}
