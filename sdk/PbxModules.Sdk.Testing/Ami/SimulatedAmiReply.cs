namespace PbxModules.Sdk.Testing.Ami;

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
