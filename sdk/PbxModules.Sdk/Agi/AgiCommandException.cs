namespace PbxModules.Sdk.Agi;

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
