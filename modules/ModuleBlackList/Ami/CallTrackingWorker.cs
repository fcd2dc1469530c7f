using Microsoft.Extensions.Logging;
using ModuleBlackList.Matching;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Ami;

namespace ModuleBlackList.Ami;

/// <summary>
/// Watches live calls over AMI:
/// <list type="bullet">
/// <item>who last rang each extension (<c>DialBegin</c>), for <c>*32</c> "block the last caller";</item>
/// <item>flood protection: a caller who starts more than <c>FloodMaxCalls</c> calls within
/// <c>FloodWindowSeconds</c> (counted on the first channel of each call, <c>Newchannel</c> with
/// Uniqueid = Linkedid) gets a temporary block rule with the reason recorded; it expires on its own.</item>
/// </list>
/// After an AMI reconnect the events in between are lost: flood windows start afresh and the
/// last-caller map is refreshed from the calls in progress (<c>CoreShowChannels</c>).
/// </summary>
public sealed partial class CallTrackingWorker(
    BlackListService blackList,
    LastCallerTracker lastCallers,
    IAmiClient ami,
    TimeProvider time,
    ILogger<CallTrackingWorker> logger) : IAmiWorker
{
    private readonly Dictionary<string, Queue<DateTime>> _windows = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = AmiSubscription.ForEvents("DialBegin", "Newchannel");

    /// <inheritdoc/>
    public async Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        _windows.Clear();
        if (!isReconnect) return;
        try
        {
            var settings = blackList.Settings;
            foreach (var channel in await ami.CoreShowChannelsAsync(cancellationToken))
            {
                var extension = channel["CallerIDNum"];
                var caller = channel["ConnectedLineNum"];
                if (IsInternal(extension, settings) && IsExternal(caller, settings))
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
            if (IsExternal(caller, settings) && !string.IsNullOrEmpty(extension) && extension != caller)
                lastCallers.Record(extension, caller!, time.GetUtcNow().UtcDateTime);
            return;
        }

        if (!settings.FloodProtection) return;
        var uniqueId = amiEvent["Uniqueid"];
        if (uniqueId is null || uniqueId != amiEvent["Linkedid"]) return;
        var number = amiEvent["CallerIDNum"];
        if (!IsExternal(number, settings)) return;
        var normalized = blackList.Normalizer.Normalize(number);
        if (normalized.Length == 0) return;

        var now = time.GetUtcNow().UtcDateTime;
        var window = TimeSpan.FromSeconds(settings.FloodWindowSeconds);
        if (!_windows.TryGetValue(normalized, out var calls)) _windows[normalized] = calls = new Queue<DateTime>();
        calls.Enqueue(now);
        while (calls.Count > 0 && now - calls.Peek() > window) calls.Dequeue();
        if (_windows.Count > 10_000) Prune(now, window);
        if (calls.Count <= settings.FloodMaxCalls) return;

        _windows.Remove(normalized);
        if (blackList.Check(number, null).Blocked) return;
        var input = new RuleInput
        {
            Number = normalized,
            Description = $"Flood: {calls.Count} calls within {settings.FloodWindowSeconds} s",
            ExpiresAt = now.AddMinutes(settings.FloodBlockMinutes),
        };
        var (rule, errors) = await blackList.AddAsync(input, "flood", cancellationToken);
        if (rule is not null) LogFloodBlocked(logger, number!, calls.Count, settings.FloodWindowSeconds, settings.FloodBlockMinutes);
        else LogFloodRuleRefused(logger, number!, string.Join("; ", errors!.SelectMany(e => e.Value)));
    }

    private void Prune(DateTime now, TimeSpan window)
    {
        foreach (var (key, calls) in _windows.ToList())
            if (calls.Count == 0 || now - calls.Last() > window) _windows.Remove(key);
    }

    private static string? DialledExtension(string? dialString)
    {
        if (string.IsNullOrEmpty(dialString)) return null;
        var resource = dialString.Split('/')[^1].Split('@')[0];
        return resource.Length > 0 && resource.All(char.IsAsciiDigit) ? resource : null;
    }

    private static bool IsExternal(string? number, BlackListSettings settings)
        => number is { Length: > 0 } && number.Count(char.IsAsciiDigit) > settings.InternalNumberMaxLength && !number.StartsWith('<');

    private static bool IsInternal(string? number, BlackListSettings settings)
        => number is { Length: > 0 } && number.All(char.IsAsciiDigit) && number.Length <= settings.InternalNumberMaxLength;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flood: {CallerId} started {Calls} calls within {Seconds} s; blocked for {Minutes} min")]
    private static partial void LogFloodBlocked(ILogger logger, string callerId, int calls, int seconds, int minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flood: could not block {CallerId}: {Errors}")]
    private static partial void LogFloodRuleRefused(ILogger logger, string callerId, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the last callers after the AMI reconnect: {Reason}")]
    private static partial void LogResyncFailed(ILogger logger, string reason);
}
