using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModuleBlackList.Data;
using ModuleBlackList.Jobs;
using ModuleBlackList.Models;
using ModuleBlackList.Settings;

namespace ModuleBlackList.Tests.Jobs;

/// <summary>The module's two scheduled jobs, run by hand on the fake clock (the host's scheduler only decides when).</summary>
public sealed class BlackListJobsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_purge_deletes_only_the_rules_that_expired_from_the_database_and_the_index_and_says_how_many()
    {
        await using var m = await BlackListHost.StartAsync();
        var now = m.Time.GetUtcNow().UtcDateTime;
        _ = await m.BlackList.AddAsync(new RuleInput { Number = "+16465550101", ExpiresAt = now.AddMinutes(5) }, "rest", None);
        var (later, _) = await m.BlackList.AddAsync(new RuleInput { Number = "+16465550102", ExpiresAt = now.AddHours(5) }, "rest", None);
        var (permanent, _) = await m.BlackList.AddAsync(new RuleInput { Number = "+16465550103" }, "rest", None);
        m.Time.Advance(TimeSpan.FromMinutes(10));

        await RunPurgeAsync(m);

        Assert.Equal([later!.Id, permanent!.Id], (await m.StoredRulesAsync()).Select(r => r.Id));
        Assert.Equal(2, m.BlackList.Index.Count);
        Assert.False(m.BlackList.Check("+16465550101", null).Blocked);
        Assert.True(m.BlackList.Check("+16465550102", null).Blocked);
        Assert.Contains(m.Logs.Lines, l => l.Level == LogLevel.Information && l.Message == "Purged 1 expired blacklist rule(s)");
    }

    [Fact]
    public async Task A_purge_with_nothing_expired_changes_nothing_and_logs_nothing()
    {
        await using var m = await BlackListHost.StartAsync();
        await m.BlackList.AddAsync(new RuleInput { Number = "+16465550101", ExpiresAt = m.Time.GetUtcNow().UtcDateTime.AddHours(1) }, "rest", None);

        await RunPurgeAsync(m);

        Assert.Single(await m.StoredRulesAsync());
        Assert.DoesNotContain(m.Logs.Lines, l => l.Message.StartsWith("Purged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_prune_deletes_blocked_calls_older_than_the_retention_and_keeps_the_rest()
    {
        await using var m = await BlackListHost.StartAsync(new BlackListSettings { CallLogRetentionDays = 30 });
        var now = m.Time.GetUtcNow().UtcDateTime;
        await using (var scope = m.Scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
            db.Calls.AddRange(Call(now.AddDays(-31), "old"), Call(now.AddDays(-29), "recent"), Call(now, "today"));
            await db.SaveChangesAsync();
        }

        await using (var scope = m.Scopes.CreateAsyncScope())
        {
            var job = ActivatorUtilities.CreateInstance<PruneCallLogJob>(scope.ServiceProvider);
            await job.Execute(null!, None);
        }

        await using (var scope = m.Scopes.CreateAsyncScope())
        {
            var left = await scope.ServiceProvider.GetRequiredService<BlackListDbContext>().Calls.OrderBy(c => c.At).Select(c => c.UniqueId).ToListAsync();
            Assert.Equal(["recent", "today"], left);
        }
        Assert.Contains(m.Logs.Lines, l => l.Level == LogLevel.Information && l.Message == "Pruned 1 blocked call(s) older than 30 days");
    }

    private static async Task RunPurgeAsync(BlackListHost m)
    {
        var job = ActivatorUtilities.CreateInstance<PurgeExpiredRulesJob>(m.Services);
        await job.Execute(null!, None);
    }

    private static BlackListCalls Call(DateTime at, string uniqueId) => new()
    {
        At = at,
        Number = "+16465550101",
        Normalized = "+16465550101",
        Reason = "+16465550101",
        Action = "Hangup",
        UniqueId = uniqueId,
    };
}
