namespace PbxModules.Sdk.Ami;

/// <summary>
/// The policy of a full subscriber queue. The AMI reader never waits for a subscriber: a slow worker
/// loses events (counted and reported), never the connection or the other workers.
/// </summary>
public enum AmiQueueOverflow
{
    /// <summary>Drop the oldest queued event to make room for the new one (keeps the worker current).</summary>
    DropOldest,

    /// <summary>Drop the new event (keeps the history the worker already has).</summary>
    DropNewest,
}
