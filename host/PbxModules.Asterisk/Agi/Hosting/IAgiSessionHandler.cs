using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Hosting;

/// <summary>
/// Receives every FastAGI session once its environment has been read. The FastAGI server knows nothing
/// about modules: the host implements this to route <see cref="AgiRequest.Path"/> (<c>module/handler</c>)
/// to a module's <see cref="IAgiHandler"/>. Resolved once from the application's services.
/// </summary>
public interface IAgiSessionHandler
{
    /// <summary>Runs one session. The connection closes (and Asterisk continues the dialplan) when this returns.</summary>
    /// <param name="channel">The call: its request and the AGI commands. Valid only until this method returns.</param>
    /// <param name="cancellationToken">
    /// Cancelled when the caller hangs up (<see cref="IAgiChannel.HangupToken"/>), when the connection closes,
    /// and when <see cref="FastAgiOptions.MaxSessionDuration"/> runs out.
    /// </param>
    Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken);
}
