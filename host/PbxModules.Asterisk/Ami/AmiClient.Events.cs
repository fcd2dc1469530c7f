using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

// Event dispatch: subscribers, their connection markers, and events held until a connection is declared up.
public sealed partial class AmiClient
{
    private const int MaxHeldEvents = 10_000;
    private readonly Lock _eventGate = new();
    private readonly List<AmiEvent> _heldEvents = [];
    private AmiSubscriber[] _subscribers = [];
    private bool _eventsOpen;
    private int _subscriberCounter;

    /// <summary>The current subscribers (for diagnostics).</summary>
    public IReadOnlyList<AmiSubscriber> Subscribers => Volatile.Read(ref _subscribers);

    /// <summary>
    /// Subscribes to events: the returned subscriber has its own bounded queue. Dispose it to unsubscribe.
    /// </summary>
    /// <param name="subscription">Which events, queue capacity and overflow policy.</param>
    /// <param name="name">A name for logs and diagnostics.</param>
    /// <param name="includeConnectionEvents">
    /// Also queue a <see cref="AmiConnectionEvents.ConnectedEventName"/> marker at every login (and at once
    /// if already connected), so the consumer knows, in order, where a new connection's events begin.
    /// </param>
    public AmiSubscriber Subscribe(AmiSubscription subscription, string? name = null, bool includeConnectionEvents = false)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var id = Interlocked.Increment(ref _subscriberCounter);
        var subscriber = new AmiSubscriber(this, subscription, includeConnectionEvents, name ?? $"subscriber-{id}", _options, _time, _logger);
        lock (_eventGate)
        {
            _subscribers = [.. _subscribers, subscriber];
            if (_eventsOpen) subscriber.OfferMarker(AmiConnectionEvents.Create(_connectionNumber));
        }

        return subscriber;
    }

    internal void Unsubscribe(AmiSubscriber subscriber)
    {
        lock (_eventGate) _subscribers = [.. _subscribers.Where(s => s != subscriber)];
    }

    private void Broadcast(AmiEvent amiEvent)
    {
        lock (_eventGate)
        {
            if (!_eventsOpen)
            {
                // Events that arrive between the login response and the moment the connection is declared
                // up (FullyBooted…) wait here, so subscribers see the connection marker first.
                if (_heldEvents.Count < MaxHeldEvents) _heldEvents.Add(amiEvent);
                return;
            }

            foreach (var subscriber in _subscribers) subscriber.Offer(amiEvent);
        }
    }

    private void OpenEvents(int connectionNumber)
    {
        lock (_eventGate)
        {
            var marker = AmiConnectionEvents.Create(connectionNumber);
            foreach (var subscriber in _subscribers) subscriber.OfferMarker(marker);
            _eventsOpen = true;
            foreach (var held in _heldEvents)
                foreach (var subscriber in _subscribers) subscriber.Offer(held);
            _heldEvents.Clear();
        }
    }

    private void CloseEvents()
    {
        lock (_eventGate)
        {
            _eventsOpen = false;
            _heldEvents.Clear();
        }
    }
}
