using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ModuleFoo.Data;
using Quartz;

namespace ModuleFoo.Jobs;

/// <summary>
/// Every hour (see <see cref="FooMain"/>): deletes the greetings that expired. The AGI handler already
/// ignores them; this keeps the table small. The host runs it on its scheduler while the module is
/// enabled, never two at once, and cancels it when the module is disabled.
/// </summary>
public sealed partial class PruneExpiredGreetingsJob(FooDbContext db, TimeProvider time, ILogger<PruneExpiredGreetingsJob> logger) : IJob
{
    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        => await PruneAsync(cancellationToken);

    /// <summary>Deletes the expired greetings and returns how many there were.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var pruned = await db.Greetings.Where(g => g.ExpiresAt != null && g.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        if (pruned > 0) LogPruned(logger, pruned);
        return pruned;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} expired greeting(s)")]
    private static partial void LogPruned(ILogger logger, int count);
}
