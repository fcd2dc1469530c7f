namespace PbxModules.Sdk.Testing.Ami;

/// <summary>An action a client sent to the <see cref="SimulatedAmiServer"/>, as received.</summary>
public sealed class SimulatedAmiAction
{
    internal SimulatedAmiAction(int connectionId, IReadOnlyList<KeyValuePair<string, string>> headers, string rawText, DateTimeOffset receivedAt)
    {
        ConnectionId = connectionId;
        Headers = headers;
        RawText = rawText;
        ReceivedAt = receivedAt;
        Name = this["Action"] ?? string.Empty;
    }

    /// <summary>The action name as sent (<c>Action</c> header; matched case-insensitively by the server).</summary>
    public string Name { get; }

    /// <summary>The headers in wire order, <c>Action</c> and <c>ActionID</c> included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The exact text received for this action, line endings and closing blank line included.</summary>
    public string RawText { get; }

    /// <summary>Which client connection sent it (1 for the first connection the server accepted).</summary>
    public int ConnectionId { get; }

    /// <summary>When it arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The <c>ActionID</c>, when sent.</summary>
    public string? ActionId => this["ActionID"];

    /// <summary>The first value of a header (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var h in Headers)
                if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }
    }

    /// <summary>Every value of a repeated header (e.g. <c>Variable</c>).</summary>
    public IEnumerable<string> GetAll(string name)
        => Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <inheritdoc/>
    public override string ToString() => string.Join(" | ", Headers.Select(h => $"{h.Key}: {h.Value}"));
}

/// <summary>
/// A scripted answer: the response headers (after <c>Response</c> and <c>ActionID</c>, which the server
/// adds) and optionally events sent right after it to the same client (e.g. an event list).
/// </summary>
public sealed class SimulatedAmiReply
{
    /// <summary>Creates a reply.</summary>
    /// <param name="response"><c>Success</c>, <c>Error</c>, <c>Goodbye</c>…</param>
    /// <param name="headers">Headers after <c>Response</c> and <c>ActionID</c>, in order.</param>
    public SimulatedAmiReply(string response, params (string Name, string Value)[] headers)
    {
        Response = response;
        Headers = [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))];
    }

    /// <summary>The <c>Response</c> value.</summary>
    public string Response { get; }

    /// <summary>The headers after <c>Response</c> and <c>ActionID</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Events sent to the same client right after the response; the server adds the action's <c>ActionID</c> after <c>Event</c>.</summary>
    public IList<IReadOnlyList<KeyValuePair<string, string>>> FollowingEvents { get; } = [];

    /// <summary>
    /// Events sent to the same client just before the response, with the action's <c>ActionID</c> added after
    /// <c>Event</c>: the order a client sees when an action's event overtakes its response (as over AJAM,
    /// where events come by a separate poll). A client must still correlate them with the action.
    /// </summary>
    public IList<IReadOnlyList<KeyValuePair<string, string>>> PrecedingEvents { get; } = [];

    /// <summary>Closes the connection after sending the reply (as <c>Logoff</c> does).</summary>
    public bool CloseAfter { get; init; }
}
