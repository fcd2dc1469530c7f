namespace PbxModules.Sdk.Agi;

/// <summary>
/// A command was sent on a channel whose caller has hung up (Asterisk sent <c>HANGUP</c>, answered 511,
/// or the connection closed). Derives from <see cref="OperationCanceledException"/> so that a handler
/// which lets it escape ends like a cancelled one.
/// </summary>
public sealed class AgiHangupException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public AgiHangupException(string message) : base(message) { }

    /// <summary>Creates the exception with a cancellation token.</summary>
    public AgiHangupException(string message, CancellationToken token) : base(message, token) { }

    /// <summary>Creates the exception with the reason underneath (a closed socket, a cancelled wait).</summary>
    public AgiHangupException(string message, Exception? innerException, CancellationToken token)
        : base(message, innerException, token) { }
}

/// <summary>
/// Asterisk refused an AGI command (510 unknown command, 520 wrong usage), or a typed command reported
/// failure (<c>200 result=-1</c>: usually a missing sound file or a channel that is going away).
/// </summary>
public sealed class AgiCommandException : Exception
{
    /// <summary>Creates the exception from the command and its reply.</summary>
    public AgiCommandException(string command, AgiReply reply)
        : base(reply.IsSuccess
            ? $"AGI command '{command}' failed: Asterisk answered '{reply}'"
            : $"Asterisk refused AGI command '{command}' with {reply.StatusCode}: {reply.Text}")
    {
        Command = command;
        Reply = reply;
    }

    /// <summary>The command line that was refused.</summary>
    public string Command { get; }

    /// <summary>Asterisk's reply.</summary>
    public AgiReply Reply { get; }
}

/// <summary>
/// The peer broke the AGI protocol: a line that is not an AGI reply, a reply nobody asked for, a line
/// longer than the configured limit. The session is closed; later commands throw <see cref="AgiHangupException"/>.
/// </summary>
public sealed class AgiProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgiProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public AgiProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
