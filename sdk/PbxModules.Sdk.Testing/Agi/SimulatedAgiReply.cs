using System.Globalization;

namespace PbxModules.Sdk.Testing.Agi;

/// <summary>
/// What the simulated Asterisk answers to one command: the reply text (one line, or several joined by
/// <c>\n</c> for a <c>520-</c> usage), and optionally a hang-up or a dropped connection around it.
/// A string converts to a reply: <c>options.Replies["GET DATA"] = _ => "200 result=1234";</c>
/// </summary>
/// <param name="Text">The reply lines without the final newline, e.g. <c>200 result=1 (value)</c>.</param>
public sealed record SimulatedAgiReply(string Text)
{
    /// <summary>Send <c>HANGUP</c> before the reply, as Asterisk does when the caller hangs up while the command runs.</summary>
    public bool HangUpBefore { get; init; }

    /// <summary>Send <c>HANGUP</c> after the reply (what the <c>HANGUP</c> command itself causes).</summary>
    public bool HangUpAfter { get; init; }

    /// <summary>Close the TCP connection instead of answering (Asterisk crashed or restarted).</summary>
    public bool Disconnect { get; init; }

    /// <summary>Never answer: the command stays pending (a stalled peer).</summary>
    public bool Silent { get; init; }

    /// <summary>A <c>200 result=N [(data)] [extra]</c> reply.</summary>
    public static SimulatedAgiReply Success(long result, string? data = null, string? extra = null)
    {
        var text = "200 result=" + result.ToString(CultureInfo.InvariantCulture);
        if (data is not null) text += $" ({data})";
        if (extra is not null) text += " " + extra;
        return new SimulatedAgiReply(text);
    }

    /// <summary>The reply a dead channel gets for most commands.</summary>
    public static SimulatedAgiReply DeadChannel { get; } = new("511 Command Not Permitted on a dead channel or intercept routine");

    /// <summary>The reply to a command Asterisk does not know.</summary>
    public static SimulatedAgiReply UnknownCommand { get; } = new("510 Invalid or unknown command");

    /// <summary>Closes the connection instead of answering.</summary>
    public static SimulatedAgiReply DropConnection { get; } = new(string.Empty) { Disconnect = true };

    /// <summary>Never answers.</summary>
    public static SimulatedAgiReply NoAnswer { get; } = new(string.Empty) { Silent = true };

    /// <summary>Uses <paramref name="text"/> as the reply.</summary>
    public static implicit operator SimulatedAgiReply(string text) => new(text);
}
