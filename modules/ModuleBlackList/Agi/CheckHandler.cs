using Microsoft.Extensions.Logging;
using ModuleBlackList.CallLog;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;
using PbxModules.Sdk.Agi;

namespace ModuleBlackList.Agi;

/// <summary>
/// The in-call check, on every incoming call before it rings anyone:
/// <c>AGI(agi://…/module-black-list/check,${ARG1})</c> with the route's number as the first argument.
/// Sets <c>BLACKLISTED=0|1</c> and <c>BLACKLIST_RULE</c>; on a match performs the configured action.
/// Reads only the in-memory index; the blocked call is logged in the background.
/// </summary>
[AgiHandler("check", TimeoutSeconds = 60)]
public sealed partial class CheckHandler(BlackListService blackList, CallLogWriter callLog, TimeProvider time, ILogger<CheckHandler> logger) : IAgiHandler
{
    /// <summary>How long a call waits for the list to finish loading at start-up before the fail mode applies.</summary>
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var request = channel.Request;
        var did = request.Arguments.Count > 0 ? request.Arguments[0] : request.Query.GetValueOrDefault("did");

        CheckResult result;
        var settings = blackList.Settings;
        try
        {
            await blackList.Ready.WaitAsync(ReadyWait, cancellationToken);
            // Read after the wait: before the list has loaded, the settings are still the defaults.
            settings = blackList.Settings;
            result = blackList.Check(request.CallerId, did);
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

        await channel.SetVariableAsync("BLACKLISTED", "1", cancellationToken);
        await channel.SetVariableAsync("BLACKLIST_RULE", result.Rule is { } rule ? rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : result.Reason!, cancellationToken);
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

    /// <summary>Performs the configured action. The dialplan hook also hangs up after the AGI when BLACKLISTED=1, as a safety net.</summary>
    private static async Task RejectAsync(IAgiChannel channel, BlackListSettings settings, CancellationToken cancellationToken)
    {
        switch (settings.Action)
        {
            case BlockAction.Busy:
                await channel.ExecAsync("Busy", "10", cancellationToken);
                await channel.HangupAsync(cancellationToken: cancellationToken);
                break;
            case BlockAction.Congestion:
                await channel.ExecAsync("Congestion", "10", cancellationToken);
                await channel.HangupAsync(cancellationToken: cancellationToken);
                break;
            case BlockAction.PlaySound:
                await channel.AnswerAsync(cancellationToken);
                await channel.StreamFileAsync(settings.Sound, "", cancellationToken: cancellationToken);
                await channel.HangupAsync(cancellationToken: cancellationToken);
                break;
            case BlockAction.Redirect:
                // The call continues at the destination once the AGI returns.
                await channel.SetContextAsync(settings.RedirectContext, cancellationToken);
                await channel.SetExtensionAsync(settings.RedirectExtension, cancellationToken);
                await channel.SetPriorityAsync(settings.RedirectPriority.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
                break;
            default:
                await channel.HangupAsync(cancellationToken: cancellationToken);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blocked caller {CallerId} ({Reason}) on {Channel}")]
    private static partial void LogBlocked(ILogger logger, string callerId, string reason, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Blacklist check could not run on {Channel}; fail mode {FailMode} applies")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string channel, FailMode failMode);
}
