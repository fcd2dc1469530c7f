namespace PbxModules.Sdk.Ami;

/// <summary>An AMI event: a frame whose first header is <c>Event</c>.</summary>
public sealed class AmiEvent : AmiMessage
{
    /// <summary>Creates an event from its headers.</summary>
    public AmiEvent(IReadOnlyList<KeyValuePair<string, string>> headers) : base(headers)
        => Name = this["Event"] ?? string.Empty;

    /// <summary>The event name, e.g. <c>Newchannel</c>, <c>DialBegin</c>, <c>Hangup</c>.</summary>
    public string Name { get; }
}
