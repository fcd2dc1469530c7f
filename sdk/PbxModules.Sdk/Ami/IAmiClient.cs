namespace PbxModules.Sdk.Ami;

/// <summary>
/// The host's one AMI connection, as a module sees it: send actions and get their answers. The
/// connection, login, reconnection and correlation of replies are the client's business, not the
/// caller's. Typed helpers (Originate, Hangup, Redirect, Command, GetVar, SetVar…) are extension
/// methods on this interface.
/// </summary>
public interface IAmiClient
{
    /// <summary>True while logged in to Asterisk.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Sends an action and waits for its answer (for list actions, until the closing event).
    /// </summary>
    /// <param name="action">The action; the client adds <c>ActionID</c>.</param>
    /// <param name="cancellationToken">Cancels the wait (the action may still have reached Asterisk).</param>
    /// <returns>The response. An <c>Error</c> response is returned, not thrown; check <see cref="AmiResponse.IsSuccess"/>.</returns>
    /// <exception cref="AmiNotConnectedException">There is no connection and the client is configured to fail fast.</exception>
    /// <exception cref="TimeoutException">No answer within the action's time-out.</exception>
    Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default);
}
