using Microsoft.Extensions.Logging;
using ModuleBlackList.Ami;
using ModuleBlackList.Sounds;
using PbxModules.Sdk.Agi;

namespace ModuleBlackList.Agi;

/// <summary>Shared steps of the feature codes: reading the number (argument, or dialled after a beep) and confirming with a sound.</summary>
internal static class FeatureCode
{
    public const string Done = "auth-thankyou";
    public const string Failed = "an-error-has-occurred";

    /// <summary>The number given as the first argument (<c>*30</c>&lt;number&gt;), or asked for: beep, then digits ended by <c>#</c>.</summary>
    public static async Task<string> NumberAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        if (channel.Request.Arguments is [{ Length: > 0 } given, ..]) return given;
        await channel.AnswerAsync(cancellationToken);
        var data = await channel.GetDataAsync("beep", TimeSpan.FromSeconds(10), 20, cancellationToken);
        return data.Digits;
    }

    /// <summary>
    /// Plays the confirmation. The work is done by then: a confirmation sound Asterisk does not have is
    /// reported (rate-limited) and the call ends as usual, without an error.
    /// </summary>
    public static async Task ConfirmAsync(IAgiChannel channel, bool ok, MissingSoundReporter missingSounds, CancellationToken cancellationToken)
    {
        await channel.AnswerAsync(cancellationToken);
        await SoundPlayback.TryPlayAsync(channel, ok ? Done : Failed, missingSounds,
            $"feature-code confirmations ({(ok ? "done" : "failed")}) were not heard; the feature codes still did their work", cancellationToken);
    }
}

/// <summary><c>*30</c>: adds a number to the list (<c>*30</c> then the number, or <c>*30</c> and dial it after the beep).</summary>
[AgiHandler("add", TimeoutSeconds = 60)]
public sealed partial class AddNumberHandler(BlackListService blackList, MissingSoundReporter missingSounds, ILogger<AddNumberHandler> logger) : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var number = await FeatureCode.NumberAsync(channel, cancellationToken);
        var (rule, _) = await blackList.AddAsync(new RuleInput { Number = number, Description = $"Added with *30 by {channel.Request.CallerId}" }, "feature-code", cancellationToken);
        if (rule is not null) LogAdded(logger, rule.Number, channel.Request.CallerId);
        await FeatureCode.ConfirmAsync(channel, rule is not null, missingSounds, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Number} blocked with *30 by {Extension}")]
    private static partial void LogAdded(ILogger logger, string number, string extension);
}

/// <summary><c>*31</c>: removes a number from the list.</summary>
[AgiHandler("remove", TimeoutSeconds = 60)]
public sealed partial class RemoveNumberHandler(BlackListService blackList, MissingSoundReporter missingSounds, ILogger<RemoveNumberHandler> logger) : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var number = await FeatureCode.NumberAsync(channel, cancellationToken);
        var removed = await blackList.DeleteNumberAsync(number, cancellationToken);
        if (removed > 0) LogRemoved(logger, number, channel.Request.CallerId);
        await FeatureCode.ConfirmAsync(channel, removed > 0, missingSounds, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Number} unblocked with *31 by {Extension}")]
    private static partial void LogRemoved(ILogger logger, string number, string extension);
}

/// <summary><c>*32</c>: blocks the last outside caller who rang the extension dialling it.</summary>
[AgiHandler("block-last", TimeoutSeconds = 30)]
public sealed partial class BlockLastCallerHandler(BlackListService blackList, LastCallerTracker lastCallers, MissingSoundReporter missingSounds, ILogger<BlockLastCallerHandler> logger) : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        var extension = channel.Request.CallerId;
        var last = lastCallers.Get(extension);
        var blocked = false;
        if (last is { } l)
        {
            var (rule, _) = await blackList.AddAsync(new RuleInput { Number = l.Caller, Description = $"Last caller of {extension}, blocked with *32" }, "feature-code", cancellationToken);
            blocked = rule is not null;
            if (blocked) LogBlocked(logger, l.Caller, extension);
        }
        await channel.SetVariableAsync("BLACKLIST_LAST_CALLER", last?.Caller ?? "", cancellationToken);
        await FeatureCode.ConfirmAsync(channel, blocked, missingSounds, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Number}, the last caller of {Extension}, blocked with *32")]
    private static partial void LogBlocked(ILogger logger, string number, string extension);
}
