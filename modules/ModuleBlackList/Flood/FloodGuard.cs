using Microsoft.Extensions.Logging;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Flood;

/// <summary>What flood protection decided for one call.</summary>
/// <param name="Flooding">Block this call.</param>
/// <param name="RuleId">The temporary block rule stored for this flood by this call, if it stored one.</param>
public readonly record struct FloodOutcome(bool Flooding, int? RuleId)
{
    /// <summary>Not counted, or within the limit.</summary>
    public static FloodOutcome None => default;
}

/// <summary>
/// Flood protection: a caller who starts more than <see cref="BlackListSettings.FloodMaxCalls"/> calls within
/// <see cref="BlackListSettings.FloodWindowSeconds"/> is flooding; the call that crosses the limit is blocked
/// (and any other while its rule is being stored), and a temporary block rule
/// (<see cref="BlackListSettings.FloodBlockMinutes"/>) keeps the caller out after that. Fed by the AMI worker and by the in-call check, counting each call once
/// (<see cref="FloodCounter"/>).
/// </summary>
public sealed partial class FloodGuard(BlackListService blackList, FloodCounter counter, TimeProvider time, ILogger<FloodGuard> logger)
{
    /// <summary>True for a number that can be an outside caller's: more digits than an internal extension has, not <c>&lt;unknown&gt;</c>.</summary>
    public static bool IsExternal(string? number, BlackListSettings settings)
        => number is { Length: > 0 } && number.Count(char.IsAsciiDigit) > settings.InternalNumberMaxLength && !number.StartsWith('<');

    /// <summary>Counts the call <paramref name="callId"/> from <paramref name="callerNumber"/> (as Asterisk gives it) and stores the block rule when this call starts a flood.</summary>
    public async Task<FloodOutcome> CountAsync(string? callId, string? callerNumber, CancellationToken cancellationToken)
    {
        var settings = blackList.Settings;
        if (!settings.FloodProtection || string.IsNullOrEmpty(callId) || !IsExternal(callerNumber, settings)) return FloodOutcome.None;
        var normalized = blackList.Normalizer.Normalize(callerNumber);
        if (normalized.Length == 0) return FloodOutcome.None;

        var verdict = counter.Count(callId, normalized, settings.FloodMaxCalls, TimeSpan.FromSeconds(settings.FloodWindowSeconds), TimeSpan.FromMinutes(settings.FloodBlockMinutes));
        if (!verdict.Flooding) return FloodOutcome.None;
        if (!verdict.CreateRule) return new FloodOutcome(true, null);
        var stored = false;
        try
        {
            // Already blocked by a rule of its own (or a rule an administrator made): no second rule.
            var existing = blackList.Check(callerNumber, null);
            if (existing.Blocked)
            {
                stored = true;
                return new FloodOutcome(true, existing.Rule?.Id);
            }
            var input = new RuleInput
            {
                Number = normalized,
                Description = $"Flood: {verdict.Calls} calls within {settings.FloodWindowSeconds} s",
                ExpiresAt = time.GetUtcNow().UtcDateTime.AddMinutes(settings.FloodBlockMinutes),
            };
            var (rule, errors) = await blackList.AddAsync(input, "flood", cancellationToken);
            if (rule is null)
            {
                LogFloodRuleRefused(logger, callerNumber!, string.Join("; ", errors!.SelectMany(e => e.Value)));
                return new FloodOutcome(true, null);
            }
            stored = true;
            LogFloodBlocked(logger, callerNumber!, verdict.Calls, settings.FloodWindowSeconds, settings.FloodBlockMinutes);
            return new FloodOutcome(true, rule.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The call is still blocked; the next flooding call tries to store the rule again.
            LogFloodRuleFailed(logger, ex, callerNumber!);
            return new FloodOutcome(true, null);
        }
        finally
        {
            if (stored) counter.RuleStored(normalized);
            else counter.RuleFailed(normalized);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flood: {CallerId} started {Calls} calls within {Seconds} s; blocked for {Minutes} min")]
    private static partial void LogFloodBlocked(ILogger logger, string callerId, int calls, int seconds, int minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flood: could not block {CallerId}: {Errors}")]
    private static partial void LogFloodRuleRefused(ILogger logger, string callerId, string errors);

    [LoggerMessage(Level = LogLevel.Error, Message = "Flood: the block rule for {CallerId} could not be stored; its flooding calls are still rejected and the next one tries again")]
    private static partial void LogFloodRuleFailed(ILogger logger, Exception exception, string callerId);
}
