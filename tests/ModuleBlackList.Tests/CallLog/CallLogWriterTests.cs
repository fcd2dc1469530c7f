using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModuleBlackList.CallLog;
using ModuleBlackList.Data;
using ModuleBlackList.Models;

namespace ModuleBlackList.Tests.CallLog;

/// <summary>The call log writer against a real SQLite file: what a stop flushes, the hit counts, and a full queue.</summary>
public sealed class CallLogWriterTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bl-calllog-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddDbContext<BlackListDbContext>(o => o.UseSqlite($"Data Source={_file};Pooling=False"))
            .BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BlackListDbContext>().Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Stopping_writes_every_queued_call_and_adds_the_hits_to_their_rules()
    {
        var (ruleA, ruleB) = (await StoreRuleAsync("+16465550101"), await StoreRuleAsync("+16465550102"));
        var writer = Writer();
        await writer.StartAsync(CancellationToken.None);
        var at = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
        writer.Enqueue(Call(at, ruleA, "a1"));
        writer.Enqueue(Call(at.AddSeconds(5), ruleA, "a2"));
        writer.Enqueue(Call(at.AddSeconds(3), ruleB, "b1"));
        writer.Enqueue(Call(at.AddSeconds(4), ruleId: null, "anonymous"));

        await writer.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        Assert.Equal(["a1", "a2", "anonymous", "b1"], await db.Calls.OrderBy(c => c.UniqueId).Select(c => c.UniqueId).ToListAsync());
        var rules = await db.Numbers.AsNoTracking().OrderBy(n => n.Id).ToListAsync();
        Assert.Equal([(ruleA, 2L, at.AddSeconds(5)), (ruleB, 1L, at.AddSeconds(3))], rules.Select(r => (r.Id, r.HitCount, r.LastHitAt!.Value)));
        Assert.Equal(0, writer.Dropped);
    }

    [Fact]
    public void A_full_queue_drops_calls_and_counts_them_instead_of_blocking_the_caller()
    {
        var writer = Writer();
        // Not started: nothing reads the queue, so its capacity (50 000) is reached exactly.
        for (var i = 0; i < 50_002; i++) writer.Enqueue(Call(new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc).AddMilliseconds(i), ruleId: null, $"call-{i}"));

        Assert.Equal(2, writer.Dropped);
    }

    private CallLogWriter Writer() => new(_services.GetRequiredService<IServiceScopeFactory>(), NullLogger<CallLogWriter>.Instance);

    private async Task<int> StoreRuleAsync(string number)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        var rule = new BlackListNumbers { Number = number, Normalized = number, Source = "rest" };
        db.Numbers.Add(rule);
        await db.SaveChangesAsync();
        return rule.Id;
    }

    private static BlackListCalls Call(DateTime at, int? ruleId, string uniqueId) => new()
    {
        At = at,
        Number = "+16465550101",
        Normalized = "+16465550101",
        RuleId = ruleId,
        Reason = ruleId is null ? "anonymous" : "+16465550101",
        Action = "Hangup",
        UniqueId = uniqueId,
    };
}
