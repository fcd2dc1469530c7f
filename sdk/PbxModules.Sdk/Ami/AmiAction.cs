namespace PbxModules.Sdk.Ami;

/// <summary>
/// An AMI action to send: its name and headers. The client adds a unique <c>ActionID</c>.
/// Header values are checked: a carriage return or line feed would let a value inject another
/// header or action, so they are refused.
/// </summary>
/// <example><code>
/// var action = new AmiAction("Redirect")
///     .With("Channel", channel)
///     .With("Context", "from-internal").With("Exten", "100").With("Priority", "1");
/// </code></example>
public sealed class AmiAction
{
    private readonly List<KeyValuePair<string, string>> _headers = [];

    /// <summary>Creates an action.</summary>
    /// <param name="name">The action name, e.g. <c>Originate</c>.</param>
    public AmiAction(string name)
    {
        CheckToken(name, nameof(name));
        Name = name;
    }

    /// <summary>The action name.</summary>
    public string Name { get; }

    /// <summary>The headers after <c>Action</c>, in order; repeated names are allowed (e.g. <c>Variable</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>
    /// True for actions Asterisk answers with an event list (<c>EventList: start</c> … <c>…Complete</c>),
    /// such as <c>CoreShowChannels</c>, <c>QueueStatus</c>, <c>Status</c>. The client then waits for
    /// the closing event. The typed helpers set it; set it yourself for other list actions.
    /// </summary>
    public bool ExpectsEventList { get; set; }

    /// <summary>How long to wait for the answer; null uses the client's default.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// When set, a successful response is not the end of the answer: the client keeps waiting for an
    /// event of this name carrying the action's <c>ActionID</c> (e.g. <c>OriginateResponse</c> after an
    /// <c>Originate</c> with <c>Async: true</c>) and returns it as <see cref="AmiResponse.Completion"/>.
    /// An <c>Error</c> response ends the wait at once. The event is still delivered to subscribers.
    /// </summary>
    public string? CompletionEventName { get; set; }

    /// <summary>Adds a header and returns the action, for chaining.</summary>
    /// <exception cref="ArgumentException">The name is not a header token or the value contains CR or LF.</exception>
    public AmiAction With(string name, string value)
    {
        CheckToken(name, nameof(name));
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw new ArgumentException($"AMI header '{name}' must not contain a line break: it would inject a new header.", nameof(value));
        if (name.Equals("ActionID", StringComparison.OrdinalIgnoreCase) || name.Equals("Action", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{name}' is set by the client.", nameof(name));
        _headers.Add(new(name, value));
        return this;
    }

    private static void CheckToken(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        foreach (var c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '(' or ')' or '.'))
                throw new ArgumentException($"'{value}' is not a valid AMI name: use letters, digits, '-', '_'.", paramName);
    }
}
