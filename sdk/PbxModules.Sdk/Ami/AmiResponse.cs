namespace PbxModules.Sdk.Ami;

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
