using System.Globalization;
using Microsoft.Extensions.Logging;
using ModuleBlackList.CallLog;
using ModuleBlackList.Flood;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;
using ModuleBlackList.Sounds;
using PbxModules.Sdk.Agi;

namespace ModuleBlackList.Agi;

/// <summary>
/// The in-call check, on every incoming call before it rings anyone:
/// <c>AGI(agi://…/module-black-list/check,${ARG1},${CHANNEL(linkedid)})</c> with the route's number and
/// the call's linkedid. Sets <c>BLACKLISTED=0|1</c> and <c>BLACKLIST_RULE</c> (and, to redirect,
/// <c>BLACKLIST_REDIRECT</c>) before it does anything else; on a match performs the configured action.
/// Reads only the in-memory index and the flood count; the blocked call is logged in the background.
/// </summary>
[AgiHandler("check", TimeoutSeconds = 60)]
public sealed partial class CheckHandler(
    BlackListService blackList,
    FloodGuard flood,
    CallLogWriter callLog,
    MissingSoundReporter missingSounds,
    TimeProvider time,
    ILogger<CheckHandler> logger) : IAgiHandler
{
    /// <summary>How long a call waits for the list to finish loading at start-up before the fail mode applies.</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var request = channel.Request;
        var did = request.Arguments.Count > 0 ? request.Arguments[0] : request.Query.GetValueOrDefault("did");
        // The dialplan passes ${CHANNEL(linkedid)}; an older dialplan does not: the channel's own id is the call's then.
        var callId = request.Arguments.Count > 1 && request.Arguments[1].Length > 0 ? request.Arguments[1] : request.UniqueId;

        CheckResult result;
        var settings = blackList.Settings;
        try
        {
            await blackList.Ready.WaitAsync(ReadyWait, cancellationToken);
            // Read after the wait: before the list has loaded, the settings are still the defaults.
            settings = blackList.Settings;
            result = blackList.Check(request.CallerId, did);
            if (!result.Blocked && result.Rule is not { Kind: RuleKind.Allow })
                result = await FloodCheckAsync(result, callId, request.CallerId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The check cannot run: the fail mode decides, as the dialplan does when the daemon is down.
            // The stored settings load before the list, so they are usually known by now.
            settings = blackList.Settings;
            LogCheckFailed(logger, ex, request.Channel, settings.FailMode);
            result = settings.FailMode == FailMode.Closed
                ? new CheckResult(true, "", null, "fail-closed")
                : new CheckResult(false, "", null, null);
        }

        if (!result.Blocked)
        {
            await channel.SetVariableAsync("BLACKLISTED", "0", cancellationToken);
            await channel.SetVariableAsync("BLACKLIST_RULE", result.Rule is { Kind: RuleKind.Allow } allow ? $"allow:{allow.Id}" : "", cancellationToken);
            return;
        }

        // Everything the dialplan reads is set first: nothing after a hang-up runs.
        await channel.SetVariableAsync("BLACKLISTED", "1", cancellationToken);
        await channel.SetVariableAsync("BLACKLIST_RULE", result.Rule is { } rule ? rule.Id.ToString(CultureInfo.InvariantCulture) : result.Reason!, cancellationToken);
        if (settings.Action == BlockAction.Redirect && settings.RedirectContext.Length > 0)
            await channel.SetVariableAsync("BLACKLIST_REDIRECT", RedirectTarget(settings), cancellationToken);
        callLog.Enqueue(new BlackListCalls
        {
            At = time.GetUtcNow().UtcDateTime,
            Number = request.CallerId,
            Normalized = result.Normalized,
            Did = did ?? "",
            RuleId = result.Rule?.Id,
            Reason = result.Reason ?? "",
            Action = settings.Action.ToString(),
            Channel = request.Channel,
            UniqueId = request.UniqueId,
        });
        LogBlocked(logger, request.CallerId, result.Reason ?? "", request.Channel);
        await RejectAsync(channel, settings, cancellationToken);
    }

    /// <summary><c>context,extension,priority</c>, for the dialplan's <c>Goto(${BLACKLIST_REDIRECT})</c>.</summary>
    internal static string RedirectTarget(BlackListSettings settings)
        => $"{settings.RedirectContext},{settings.RedirectExtension},{settings.RedirectPriority.ToString(CultureInfo.InvariantCulture)}";

    // Counted here, in the call's own path, so the call that crosses the limit is blocked whether or not
    // the AMI worker has seen its events yet (both count the call once, by its linkedid).
    private async Task<CheckResult> FloodCheckAsync(CheckResult result, string callId, string callerId, CancellationToken cancellationToken)
    {
        var outcome = await flood.CountAsync(callId, callerId, cancellationToken);
        if (!outcome.Flooding) return result;
        // The rule this flood stored (by this call, or by the worker just before): its id, as for any block.
        var now = blackList.Check(callerId, null);
        return now.Blocked ? now : new CheckResult(true, result.Normalized, null, "flood");
    }

    /// <summary>
    /// Performs the configured action. Busy and Congestion end the call themselves (<c>200 result=-1</c>, then
    /// <c>HANGUP</c>): no <c>HANGUP</c> is sent after them. Hang-ups use the configured cause (<c>EXEC Hangup</c>;
    /// the <c>HANGUP</c> command would leave cause 0, "Unknown"). A redirect is the dialplan's, after the AGI:
    /// it leaves the hook's Gosub frame first (see <see cref="BlackListConf"/>).
    /// </summary>
    private async Task RejectAsync(IAgiChannel channel, BlackListSettings settings, CancellationToken cancellationToken)
    {
        switch (settings.Action)
        {
            case BlockAction.Busy:
            case BlockAction.Congestion:
                var ended = await channel.ExecAsync(settings.Action == BlockAction.Busy ? "Busy" : "Congestion", "10", cancellationToken);
                // -2: this Asterisk has no such application; the call is still up.
                if (ended != -1) await HangUpAsync(channel, settings, cancellationToken);
                break;
            case BlockAction.PlaySound:
                await channel.AnswerAsync(cancellationToken);
                await SoundPlayback.TryPlayAsync(channel, settings.Sound, missingSounds,
                    $"blocked callers were hung up without it (cause {settings.HangupCause})", cancellationToken);
                await HangUpAsync(channel, settings, cancellationToken);
                break;
            case BlockAction.Redirect when settings.RedirectContext.Length > 0:
                break;
            default:
                await HangUpAsync(channel, settings, cancellationToken);
                break;
        }
    }

    private static Task<int> HangUpAsync(IAgiChannel channel, BlackListSettings settings, CancellationToken cancellationToken)
        => channel.ExecAsync("Hangup", settings.HangupCause.ToString(CultureInfo.InvariantCulture), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blocked caller {CallerId} ({Reason}) on {Channel}")]
    private static partial void LogBlocked(ILogger logger, string callerId, string reason, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blacklist check could not run on {Channel}; fail mode {FailMode} applies")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string channel, FailMode failMode);
}
