using Microsoft.Extensions.Logging;
using ModuleBlackList.Flood;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Ami;

namespace ModuleBlackList.Ami;

/// <summary>
/// Watches live calls over AMI:
/// <list type="bullet">
/// <item>who last rang each extension (<c>DialBegin</c>), for <c>*32</c> "block the last caller";</item>
/// <item>flood protection (<see cref="FloodGuard"/>): each call is counted once, on its first channel
/// (Uniqueid = Linkedid), from the first event that carries the caller's number. That is not always
/// <c>Newchannel</c>: an originated call, a Local channel or a call file starts as <c>&lt;unknown&gt;</c>
/// and gets its number in <c>NewCallerid</c> (fixture <c>ami_dial_events</c>); a channel that dials
/// shows it in <c>DialBegin</c> too. <c>Newexten</c> carries the same snapshot as the <c>NewCallerid</c>
/// before it and is not subscribed (it is the busiest event); the route's own step is counted by the
/// in-call check, which shares the count.</item>
/// </list>
/// After an AMI reconnect the events in between are lost (the in-call check still counts the calls that
/// reach it); the last-caller map is refreshed from the calls in progress (<c>CoreShowChannels</c>).
/// </summary>
public sealed partial class CallTrackingWorker(
    BlackListService blackList,
    LastCallerTracker lastCallers,
    FloodGuard flood,
    IAmiClient ami,
    TimeProvider time,
    ILogger<CallTrackingWorker> logger) : IAmiWorker
{
    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = AmiSubscription.ForEvents("DialBegin", "Newchannel", "NewCallerid");

    /// <inheritdoc/>
    public async Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        if (!isReconnect) return;
        try
        {
            var settings = blackList.Settings;
            foreach (var channel in await ami.CoreShowChannelsAsync(cancellationToken))
            {
                var extension = channel["CallerIDNum"];
                var caller = channel["ConnectedLineNum"];
                if (IsInternal(extension, settings) && FloodGuard.IsExternal(caller, settings))
                    lastCallers.Record(extension!, caller!, time.GetUtcNow().UtcDateTime);
            }
        }
        catch (Exception ex) when (ex is AmiNotConnectedException or TimeoutException or AmiActionException)
        {
            LogResyncFailed(logger, ex.Message);
        }
    }

    /// <inheritdoc/>
    public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
    {
        var settings = blackList.Settings;
        if (amiEvent.Name.Equals("DialBegin", StringComparison.OrdinalIgnoreCase))
        {
            // The caller as the dialled side sees it (also set when the call was originated), and the
            // extension dialled: the dial string's resource (PJSIP/101 → 101), else the callee's number.
            var caller = amiEvent["DestConnectedLineNum"] ?? amiEvent["CallerIDNum"];
            var extension = DialledExtension(amiEvent["DialString"]) ?? amiEvent["DestCallerIDNum"];
            if (FloodGuard.IsExternal(caller, settings) && !string.IsNullOrEmpty(extension) && extension != caller)
                lastCallers.Record(extension, caller!, time.GetUtcNow().UtcDateTime);
        }

        // The calling channel's own headers (an Originate's DialBegin has only Dest… headers: skipped).
        var uniqueId = amiEvent["Uniqueid"];
        if (uniqueId is null || uniqueId != amiEvent["Linkedid"]) return;
        await flood.CountAsync(uniqueId, amiEvent["CallerIDNum"], cancellationToken);
    }

    private static string? DialledExtension(string? dialString)
    {
        if (string.IsNullOrEmpty(dialString)) return null;
        var resource = dialString.Split('/')[^1].Split('@')[0];
        return resource.Length > 0 && resource.All(char.IsAsciiDigit) ? resource : null;
    }

    private static bool IsInternal(string? number, BlackListSettings settings)
        => number is { Length: > 0 } && number.All(char.IsAsciiDigit) && number.Length <= settings.InternalNumberMaxLength;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the last callers after the AMI reconnect: {Reason}")]
    private static partial void LogResyncFailed(ILogger logger, string reason);
}
