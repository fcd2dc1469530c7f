namespace PbxModules.Sdk.Ami;

/// <summary>
/// Which events a worker receives and how its queue behaves. An event is delivered when its name is
/// in <see cref="EventNames"/> (or that set is empty) and every entry of <see cref="HeaderFilters"/>
/// equals the event's header (case-insensitive).
/// </summary>
public sealed class AmiSubscription
{
    /// <summary>Event names to receive, case-insensitive; empty means all events.</summary>
    public IReadOnlySet<string> EventNames { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers that must have the given values for an event to be delivered.</summary>
    public IReadOnlyDictionary<string, string> HeaderFilters { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many events may wait for the worker. Default 1024.</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>What happens to a new event when the queue is full. Default <see cref="AmiQueueOverflow.DropOldest"/>.</summary>
    public AmiQueueOverflow Overflow { get; init; } = AmiQueueOverflow.DropOldest;

    /// <summary>Subscribes to the named events.</summary>
    public static AmiSubscription ForEvents(params string[] eventNames)
        => new() { EventNames = new HashSet<string>(eventNames, StringComparer.OrdinalIgnoreCase) };

    /// <summary>True when the event passes the name and header filters.</summary>
    public bool Matches(AmiEvent amiEvent)
    {
        ArgumentNullException.ThrowIfNull(amiEvent);
        if (EventNames.Count > 0 && !EventNames.Contains(amiEvent.Name)) return false;
        foreach (var (name, value) in HeaderFilters)
            if (!string.Equals(amiEvent[name], value, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }
}
