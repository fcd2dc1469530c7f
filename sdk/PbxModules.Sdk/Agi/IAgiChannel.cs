namespace PbxModules.Sdk.Agi;

/// <summary>
/// One AGI session seen from a handler: the request Asterisk sent and a way to send it commands,
/// one at a time. Typed commands (answer, get variable, stream file…) are extension methods in
/// <c>AgiChannelExtensions</c>; they all end in <see cref="SendCommandAsync"/>.
/// </summary>
public interface IAgiChannel
{
    /// <summary>The <c>agi_*</c> environment and the parsed route, query and arguments.</summary>
    AgiRequest Request { get; }

    /// <summary>True once Asterisk has sent <c>HANGUP</c> or closed the connection.</summary>
    bool IsHungUp { get; }

    /// <summary>Cancelled the moment Asterisk reports the caller hung up.</summary>
    CancellationToken HangupToken { get; }

    /// <summary>
    /// Sends one command line (without its newline) and waits for its reply. Prefer the typed
    /// extension methods: they quote arguments so that no value can inject a second command.
    /// </summary>
    /// <param name="commandLine">A complete AGI command, e.g. <c>GET VARIABLE "CALLERID(num)"</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>
    /// The parsed reply. A 510/511/520 reply is returned, not thrown; the typed methods throw. Commands
    /// from concurrent callers are queued and sent one at a time. Await the result once (it is a
    /// <see cref="ValueTask{TResult}"/> whose storage is reused).
    /// </returns>
    /// <exception cref="ArgumentException">The line contains CR, LF or NUL (it could smuggle in a second command).</exception>
    /// <exception cref="AgiHangupException">
    /// The channel is hung up (Asterisk sent <c>HANGUP</c>, or the connection closed) before the command
    /// was sent, or the connection closed before its reply. A command already sent when <c>HANGUP</c>
    /// arrives still gets its reply, unless <paramref name="cancellationToken"/> (typically linked to
    /// <see cref="HangupToken"/>) gives up first.
    /// </exception>
    /// <exception cref="AgiProtocolException">Asterisk answered with something that is not AGI; the session is closed.</exception>
    /// <exception cref="TimeoutException">No reply came within the server's idle time-out; the session is closed.</exception>
    ValueTask<AgiReply> SendCommandAsync(string commandLine, CancellationToken cancellationToken = default);
}
