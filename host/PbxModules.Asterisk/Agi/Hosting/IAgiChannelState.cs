namespace PbxModules.Asterisk.Agi.Hosting;

/// <summary>
/// What the FastAGI server knows about a session beyond <see cref="PbxModules.Sdk.Agi.IAgiChannel"/>, for
/// the <see cref="IAgiSessionHandler"/> that runs it: whether Asterisk is the one being waited for, and
/// whether the channel is already gone. The channel passed to <see cref="IAgiSessionHandler.HandleAsync"/>
/// implements it; the host uses it to tell a module's own failures from Asterisk's.
/// </summary>
public interface IAgiChannelState
{
    /// <summary>
    /// The command Asterisk has been sent and has not answered yet, also when the handler stopped waiting
    /// for it (its token was cancelled while the reply was outstanding); null when Asterisk owes nothing.
    /// </summary>
    string? CommandAwaitingReply { get; }

    /// <summary>
    /// True once the channel is known to be gone: Asterisk sent <c>HANGUP</c> or closed the connection, or a
    /// command that ends the channel succeeded (<c>HANGUP</c> of this channel answered <c>result=1</c>, an
    /// <c>EXEC</c> whose application asked for a hang-up, <c>result=-1</c>). Nothing in the dialplan runs
    /// after that, so setting variables for it is a wasted round trip.
    /// </summary>
    bool IsChannelGone { get; }
}
