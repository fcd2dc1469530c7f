namespace PbxModules.Sdk.Agi;

/// <summary>A command was sent on a channel whose caller has hung up (Asterisk sent <c>HANGUP</c> or answered 511).</summary>
public sealed class AgiHangupException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public AgiHangupException(string message) : base(message) { }

    /// <summary>Creates the exception with a cancellation token.</summary>
    public AgiHangupException(string message, CancellationToken token) : base(message, token) { }
}

/// <summary>Asterisk refused an AGI command (510 unknown command, 520 wrong usage).</summary>
public sealed class AgiCommandException : Exception
{
    /// <summary>Creates the exception from the command and its reply.</summary>
    public AgiCommandException(string command, AgiReply reply)
        : base($"Asterisk refused AGI command '{command}' with {reply.StatusCode}: {reply.Text}")
    {
        Command = command;
        Reply = reply;
    }

    /// <summary>The command line that was refused.</summary>
    public string Command { get; }

    /// <summary>Asterisk's reply.</summary>
    public AgiReply Reply { get; }
}
