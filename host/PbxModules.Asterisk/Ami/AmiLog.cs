using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// Every AMI log line, source-generated. None takes a secret or an action's headers: a <c>Login</c>
/// action carries the secret (or its MD5 key), so actions are logged by name and ActionID only.
/// </summary>
internal static partial class AmiLog
{
    [LoggerMessage(1, LogLevel.Information, "AMI connecting to {Endpoint} over {Transport}")]
    public static partial void Connecting(ILogger logger, string endpoint, AmiTransport transport);

    [LoggerMessage(2, LogLevel.Information, "AMI connected to {Endpoint} as '{Username}' ({Server}), connection #{ConnectionNumber}")]
    public static partial void Connected(ILogger logger, string endpoint, string username, string server, int connectionNumber);

    [LoggerMessage(3, LogLevel.Error, "AMI login to {Endpoint} as '{Username}' refused: {Reason}. Check Ami:Username and Ami:Secret; retrying with backoff")]
    public static partial void LoginFailed(ILogger logger, string endpoint, string username, string reason);

    [LoggerMessage(4, LogLevel.Warning, "AMI could not connect to {Endpoint}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string endpoint, string reason, Exception? exception);

    [LoggerMessage(5, LogLevel.Warning, "AMI connection to {Endpoint} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(6, LogLevel.Information, "AMI reconnecting to {Endpoint} in {Delay}")]
    public static partial void Reconnecting(ILogger logger, string endpoint, TimeSpan delay);

    [LoggerMessage(7, LogLevel.Warning, "AMI peer {Endpoint} did not answer the keepalive Ping within {Timeout}: resetting the connection")]
    public static partial void KeepAliveFailed(ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(8, LogLevel.Warning, "AMI received a malformed line (not 'Key: Value'), skipped: '{Line}'")]
    public static partial void MalformedLine(ILogger logger, string line);

    [LoggerMessage(9, LogLevel.Error, "AMI received a frame larger than {Limit} bytes: discarded up to its end")]
    public static partial void OversizedFrame(ILogger logger, int limit);

    [LoggerMessage(10, LogLevel.Error, "AMI peer {Endpoint} is not an Asterisk manager: first line was '{Line}'")]
    public static partial void UnexpectedBanner(ILogger logger, string endpoint, string line);

    [LoggerMessage(11, LogLevel.Debug, "AMI response with ActionID '{ActionId}' matches no pending action (timed out or not ours)")]
    public static partial void UnmatchedResponse(ILogger logger, string? actionId);

    [LoggerMessage(12, LogLevel.Warning, "AMI action {Action} (ActionID {ActionId}) got no answer within {Timeout}")]
    public static partial void ActionTimedOut(ILogger logger, string action, string actionId, TimeSpan timeout);

    [LoggerMessage(13, LogLevel.Warning, "AMI subscriber '{Subscriber}' lost {Dropped} events: its queue of {Capacity} was full (policy {Policy}); {Total} lost since it started. It cannot keep up with Asterisk's event rate, so what it tracks may be incomplete. If this repeats, find what slows it or give its subscription a larger QueueCapacity (at most one such warning per {IntervalSeconds} s per subscriber)")]
    public static partial void SubscriberDropped(ILogger logger, string subscriber, long dropped, double intervalSeconds, int capacity, AmiQueueOverflow policy, long total);

    [LoggerMessage(14, LogLevel.Information, "AMI HTTP session expired: logging in again")]
    public static partial void HttpSessionExpired(ILogger logger);

    [LoggerMessage(15, LogLevel.Error, "AMI connection state handler threw")]
    public static partial void StateHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "AMI client stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(17, LogLevel.Debug, "AMI frame that is neither a response nor an event ignored: first header '{Header}'")]
    public static partial void UnknownFrame(ILogger logger, string header);

    [LoggerMessage(18, LogLevel.Warning, "AMI HTTP event poll failed: {Reason}")]
    public static partial void HttpEventPollFailed(ILogger logger, string reason);
}
