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
    /// <returns>The parsed reply. A 510/511/520 reply is returned, not thrown; the typed methods throw.</returns>
    /// <exception cref="AgiHangupException">The channel is already hung up.</exception>
    ValueTask<AgiReply> SendCommandAsync(string commandLine, CancellationToken cancellationToken = default);
}
