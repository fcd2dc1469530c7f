using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// One consumer's view of the AMI event stream: its own bounded queue, filled by the client with the
/// events matching <see cref="Subscription"/>, in the order Asterisk sent them. The connection reader
/// never waits for it: when the queue is full the subscription's <see cref="AmiQueueOverflow"/> policy
/// drops an event, <see cref="Stats"/> counts it (in all and within the last minute, for health) and a
/// rate-limited warning names the subscriber and the count. Dispose to unsubscribe.
/// </summary>
public sealed class AmiSubscriber : IDisposable
{
    private readonly AmiClient _owner;
    private readonly Channel<AmiEvent> _channel;
    private readonly AmiSubscriberStats _stats;
    private readonly AmiDropTracker _drops;
    private AmiEvent? _droppedMarker;
    private int _disposed;

    internal AmiSubscriber(AmiClient owner, AmiSubscription subscription, bool includeConnectionEvents, string name, AmiClientOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentOutOfRangeException.ThrowIfLessThan(subscription.QueueCapacity, 1);
        _owner = owner;
        Subscription = subscription;
        IncludeConnectionEvents = includeConnectionEvents;
        Name = name;
        _drops = new AmiDropTracker(name, subscription.QueueCapacity, subscription.Overflow, options, time, logger);
        _channel = Channel.CreateBounded<AmiEvent>(
            new BoundedChannelOptions(subscription.QueueCapacity)
            {
                FullMode = subscription.Overflow == AmiQueueOverflow.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
                // Never run the consumer's continuation on the connection's reader.
                AllowSynchronousContinuations = false,
            },
            OnDropped);
        _stats = new AmiSubscriberStats(this);
    }

    /// <summary>A name for logs and diagnostics (e.g. the module and worker).</summary>
    public string Name { get; }

    /// <summary>What this subscriber receives and how its queue overflows.</summary>
    public AmiSubscription Subscription { get; }

    /// <summary>True when connection markers (<see cref="AmiConnectionEvents"/>) are queued too.</summary>
    public bool IncludeConnectionEvents { get; }

    /// <summary>The queue. Completed when the subscriber is disposed or the client is disposed.</summary>
    public ChannelReader<AmiEvent> Reader => _channel.Reader;

    /// <summary>Queue depth and counters.</summary>
    public AmiSubscriberStats Stats => _stats;

    /// <summary>The events as an async stream, until the subscriber is disposed or <paramref name="cancellationToken"/> fires.</summary>
    public IAsyncEnumerable<AmiEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    internal long ReceivedCount;

    internal AmiDropTracker Drops => _drops;

    /// <summary>Offers an Asterisk event; filtered, never blocks.</summary>
    internal void Offer(AmiEvent amiEvent)
    {
        if (!Subscription.Matches(amiEvent)) return;
        RequeueDroppedMarker();
        if (_channel.Writer.TryWrite(amiEvent)) Interlocked.Increment(ref ReceivedCount);
    }

    /// <summary>Queues a connection marker, bypassing the filters.</summary>
    internal void OfferMarker(AmiEvent marker)
    {
        if (!IncludeConnectionEvents) return;
        // A newer connection's marker supersedes one still waiting to be queued again.
        Interlocked.Exchange(ref _droppedMarker, null);
        if (_channel.Writer.TryWrite(marker)) Interlocked.Increment(ref ReceivedCount);
    }

    /// <summary>
    /// A full queue may drop a connection marker like any event, but a worker that never sees it would
    /// never resynchronise with the new connection: it goes back in before the next event.
    /// </summary>
    private void RequeueDroppedMarker()
    {
        if (Volatile.Read(ref _droppedMarker) is null) return;
        if (Interlocked.Exchange(ref _droppedMarker, null) is { } marker) _channel.Writer.TryWrite(marker);
    }

    internal void Complete() => _channel.Writer.TryComplete();

    /// <summary>Unsubscribes and completes <see cref="Reader"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _owner.Unsubscribe(this);
        Complete();
        _drops.Dispose();
    }

    private void OnDropped(AmiEvent dropped)
    {
        if (AmiConnectionEvents.IsConnectedMarker(dropped))
        {
            Volatile.Write(ref _droppedMarker, dropped);
            return;
        }

        _drops.RecordDrop();
    }
}
