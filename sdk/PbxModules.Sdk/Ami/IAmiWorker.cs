namespace PbxModules.Sdk.Ami;

/// <summary>
/// A long-lived reaction to live Asterisk events. It runs while its module is enabled: the host
/// calls <see cref="OnConnectedAsync"/> once the AMI connection is up (and again after every
/// reconnect, to resynchronise state), then <see cref="OnEventAsync"/> for each event matching
/// <see cref="Subscription"/>, one at a time, in the order Asterisk sent them, from the worker's own
/// bounded queue. A worker that throws is restarted with backoff; one that keeps failing has its
/// module disabled, with the reason shown to the administrator.
/// </summary>
/// <remarks>Send actions through an injected <see cref="IAmiClient"/>.</remarks>
public interface IAmiWorker
{
    /// <summary>Which events this worker wants, and how its queue behaves when it falls behind.</summary>
    AmiSubscription Subscription { get; }

    /// <summary>
    /// Called when the AMI connection is (re)established, before any event of that connection is delivered.
    /// Events that happened while disconnected are lost: query current state here (e.g. CoreShowChannels).
    /// </summary>
    /// <param name="isReconnect">False the first time for this worker instance, true afterwards.</param>
    /// <param name="cancellationToken">Cancelled when the worker stops.</param>
    Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Handles one event.</summary>
    /// <param name="amiEvent">The event.</param>
    /// <param name="cancellationToken">Cancelled when the worker stops.</param>
    ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken);

    /// <summary>Called once when the worker stops (module disabled or host shutting down).</summary>
    Task OnStoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
