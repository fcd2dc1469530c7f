namespace PbxModules.Asterisk.Ami;

/// <summary>Live counters of one <see cref="AmiSubscriber"/>, for diagnostics and metrics.</summary>
public sealed class AmiSubscriberStats
{
    private readonly AmiSubscriber _subscriber;

    internal AmiSubscriberStats(AmiSubscriber subscriber) => _subscriber = subscriber;

    /// <summary>Events waiting in the queue now.</summary>
    public int QueueDepth => _subscriber.Reader.CanCount ? _subscriber.Reader.Count : 0;

    /// <summary>The queue's capacity.</summary>
    public int QueueCapacity => _subscriber.Subscription.QueueCapacity;

    /// <summary>Events that matched and were offered to the queue (dropped ones included).</summary>
    public long Received => Interlocked.Read(ref _subscriber.ReceivedCount);

    /// <summary>Events lost because the queue was full (the oldest queued one or the new one, by policy).</summary>
    public long Dropped => _subscriber.Drops.Total;

    /// <summary>Events lost within the last <see cref="DropWindow"/> (what health reports).</summary>
    public long DroppedRecently => _subscriber.Drops.DroppedInWindow;

    /// <summary>The window of <see cref="DroppedRecently"/> (<see cref="AmiClientOptions.SubscriberDropWindow"/>).</summary>
    public TimeSpan DropWindow => _subscriber.Drops.Window;

    /// <summary>When the last event was lost; null when none was.</summary>
    public DateTimeOffset? LastDroppedAt => _subscriber.Drops.LastDrop;

    /// <inheritdoc/>
    public override string ToString()
        => $"depth {QueueDepth}/{QueueCapacity}, received {Received}, dropped {Dropped} ({DroppedRecently} in the last {DropWindow.TotalSeconds:0} s)";
}
