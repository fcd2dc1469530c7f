using Microsoft.Extensions.Logging;

namespace PbxModules.Asterisk.Agi.Server;

/// <summary>The FastAGI server's log lines. A misbehaving client produces exactly one of the Warning/Information ones.</summary>
internal static partial class FastAgiLog
{
    [LoggerMessage(1, LogLevel.Warning, "FastAGI {ConnectionId} from {Remote}: refused, {Limit} sessions already running (Agi:MaxConcurrentSessions)")]
    public static partial void TooManySessions(ILogger logger, string connectionId, string? remote, int limit);

    [LoggerMessage(2, LogLevel.Information, "FastAGI {ConnectionId} from {Remote}: closed before the AGI environment was complete")]
    public static partial void ClosedDuringEnvironment(ILogger logger, string connectionId, string? remote);

    [LoggerMessage(3, LogLevel.Warning, "FastAGI {ConnectionId} from {Remote}: no complete AGI environment within {Timeout}, closing")]
    public static partial void EnvironmentTimeout(ILogger logger, string connectionId, string? remote, TimeSpan timeout);

    [LoggerMessage(4, LogLevel.Warning, "FastAGI {ConnectionId} from {Remote}: protocol error, closing: {Reason}")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string? remote, string reason);

    [LoggerMessage(5, LogLevel.Warning, "FastAGI {ConnectionId} from {Remote}: no reply to '{Command}' within {Timeout} (Agi:IdleTimeout), closing")]
    public static partial void ReplyTimeout(ILogger logger, string connectionId, string? remote, string? command, TimeSpan timeout);

    [LoggerMessage(6, LogLevel.Information, "FastAGI {ConnectionId} from {Remote}: Asterisk closed the connection without HANGUP{Detail}")]
    public static partial void Disconnected(ILogger logger, string connectionId, string? remote, string detail);

    [LoggerMessage(7, LogLevel.Debug, "FastAGI {ConnectionId}: session for '{Script}' on {Channel} started")]
    public static partial void SessionStarted(ILogger logger, string connectionId, string script, string channel);

    [LoggerMessage(8, LogLevel.Debug, "FastAGI {ConnectionId}: HANGUP received")]
    public static partial void HangupReceived(ILogger logger, string connectionId);

    [LoggerMessage(9, LogLevel.Debug, "FastAGI {ConnectionId}: session ended ({Outcome})")]
    public static partial void SessionEnded(ILogger logger, string connectionId, string outcome);

    [LoggerMessage(10, LogLevel.Error, "FastAGI {ConnectionId}: the session handler for '{Script}' failed")]
    public static partial void HandlerFailed(ILogger logger, string connectionId, string script, Exception exception);

    [LoggerMessage(11, LogLevel.Error, "FastAGI {ConnectionId} from {Remote}: unexpected failure, closing")]
    public static partial void Unexpected(ILogger logger, string connectionId, string? remote, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "FastAGI {ConnectionId} from {Remote}: connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string connectionId, string? remote, string reason);

    [LoggerMessage(13, LogLevel.Warning, "FastAGI {ConnectionId} from {Remote}: refused, the address is not in Agi:AllowedPeers ({Suppressed} earlier refusal(s) of this peer not logged). If this is your Asterisk, add its address to Agi:AllowedPeers")]
    public static partial void PeerRefused(ILogger logger, string connectionId, string remote, long suppressed);

    [LoggerMessage(14, LogLevel.Warning, "FastAGI: {Count} connection(s) refused in the last minute from further addresses not in Agi:AllowedPeers (more than {Tracked} peers refused; each is not logged on its own)")]
    public static partial void PeersRefused(ILogger logger, long count, int tracked);
}
