using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ModuleBlackList.Data;
using Quartz;

namespace ModuleBlackList.Jobs;

/// <summary>Every minute: deletes temporary rules that expired (the index already ignores them).</summary>
public sealed partial class PurgeExpiredRulesJob(BlackListService blackList, ILogger<PurgeExpiredRulesJob> logger) : IJob
{
    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var purged = await blackList.PurgeExpiredAsync(cancellationToken);
        if (purged > 0) LogPurged(logger, purged);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired blacklist rule(s)")]
    private static partial void LogPurged(ILogger logger, int count);
}

/// <summary>Daily: deletes blocked calls older than the retention (<c>CallLogRetentionDays</c>).</summary>
public sealed partial class PruneCallLogJob(BlackListService blackList, BlackListDbContext db, TimeProvider time, ILogger<PruneCallLogJob> logger) : IJob
{
    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().UtcDateTime.AddDays(-blackList.Settings.CallLogRetentionDays);
        var pruned = await db.Calls.Where(c => c.At < before).ExecuteDeleteAsync(cancellationToken);
        if (pruned > 0) LogPruned(logger, pruned, blackList.Settings.CallLogRetentionDays);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} blocked call(s) older than {Days} days")]
    private static partial void LogPruned(ILogger logger, int count, int days);
}
