namespace PbxModules.Sdk.Ami;

/// <summary>
/// One AMI frame: <c>Key: Value</c> headers in the order Asterisk sent them. Header names are
/// matched case-insensitively (Asterisk writes <c>ActionID</c>, <c>Uniqueid</c>, <c>AMIversion</c>…).
/// A header may repeat (e.g. <c>Output</c>, <c>Variable</c>); the indexer returns the first.
/// </summary>
public class AmiMessage
{
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>Creates a message from its headers, in wire order.</summary>
    public AmiMessage(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = [.. headers];
    }

    /// <summary>The headers in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>The first value of a header, or null when absent. Case-insensitive.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var h in _headers)
                if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }
    }

    /// <summary>Every value of a repeated header, in order.</summary>
    public IEnumerable<string> GetAll(string name)
    {
        foreach (var h in _headers)
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) yield return h.Value;
    }

    /// <summary>The <c>ActionID</c> header, when present.</summary>
    public string? ActionId => this["ActionID"];

    /// <inheritdoc/>
    public override string ToString() => string.Join(" | ", _headers.Select(h => $"{h.Key}: {h.Value}"));
}

/// <summary>An AMI event: a frame whose first header is <c>Event</c>.</summary>
public sealed class AmiEvent : AmiMessage
{
    /// <summary>Creates an event from its headers.</summary>
    public AmiEvent(IReadOnlyList<KeyValuePair<string, string>> headers) : base(headers)
        => Name = this["Event"] ?? string.Empty;

    /// <summary>The event name, e.g. <c>Newchannel</c>, <c>DialBegin</c>, <c>Hangup</c>.</summary>
    public string Name { get; }
}

/// <summary>
/// The answer to an action: the <c>Response</c> frame, plus for list actions every event Asterisk
/// sent for it up to the closing <c>…Complete</c> event, and for <c>Command</c> the output lines.
/// </summary>
public sealed class AmiResponse : AmiMessage
{
    /// <summary>Creates a response.</summary>
    /// <param name="headers">The response frame's headers.</param>
    /// <param name="events">For list actions, the events of the list (not including the closing event).</param>
    /// <param name="completion">For list actions, the closing <c>…Complete</c> event.</param>
    public AmiResponse(IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<AmiEvent>? events = null, AmiEvent? completion = null)
        : base(headers)
    {
        Events = events ?? [];
        Completion = completion;
    }

    /// <summary><c>Success</c>, <c>Error</c>, <c>Follows</c> or <c>Goodbye</c>.</summary>
    public string Response => this["Response"] ?? string.Empty;

    /// <summary>True when <see cref="Response"/> is <c>Success</c> (or <c>Follows</c>, or <c>Goodbye</c> for Logoff).</summary>
    public bool IsSuccess => Response.Equals("Success", StringComparison.OrdinalIgnoreCase)
        || Response.Equals("Follows", StringComparison.OrdinalIgnoreCase)
        || Response.Equals("Goodbye", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>Message</c> header, e.g. <c>Authentication accepted</c>.</summary>
    public string? Message => this["Message"];

    /// <summary>The <c>Output</c> lines of a <c>Command</c> action, in order.</summary>
    public IReadOnlyList<string> Output => [.. GetAll("Output")];

    /// <summary>The events of a list action (<c>EventList: start</c>), in order; empty otherwise.</summary>
    public IReadOnlyList<AmiEvent> Events { get; }

    /// <summary>The closing event of a list action (e.g. <c>CoreShowChannelsComplete</c>); null otherwise.</summary>
    public AmiEvent? Completion { get; }
}
