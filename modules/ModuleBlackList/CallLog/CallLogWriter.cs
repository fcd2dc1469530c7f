using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using PbxModules.Sdk.Modules;

namespace ModuleBlackList.CallLog;

/// <summary>
/// Writes blocked calls to <c>m_BlackListCalls</c> and the rules' hit counts in batches, off the call's
/// path: the check handler only enqueues (never waits on the database), a background loop writes
/// whatever has gathered, at most every second, in one transaction. Stopping the module flushes.
/// The queue is bounded; when the database cannot keep up, the oldest entries are dropped and counted.
/// </summary>
public sealed partial class CallLogWriter : IModuleService
{
    private const int Capacity = 50_000;
    private const int BatchSize = 1_000;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<CallLogWriter> _logger;
    private readonly Channel<BlackListCalls> _queue;
    private Task _loop = Task.CompletedTask;
    private long _dropped;

    /// <summary>A writer on the module's database.</summary>
    /// <param name="scopes">The module's scopes (database contexts).</param>
    /// <param name="logger">The log.</param>
    public CallLogWriter(IServiceScopeFactory scopes, ILogger<CallLogWriter> logger)
    {
        _scopes = scopes;
        _logger = logger;
        // A full queue takes the new call and drops the oldest (TryWrite still succeeds): the
        // channel's drop callback is the only place that sees it, so it does the counting.
        _queue = Channel.CreateBounded<BlackListCalls>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Entries dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues one blocked call; never blocks.</summary>
    public void Enqueue(BlackListCalls call)
    {
        // Fails only once the writer has been stopped: a call logged after that is dropped too.
        if (!_queue.Writer.TryWrite(call)) Interlocked.Increment(ref _dropped);
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<BlackListCalls>(BatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var call)) batch.Add(call);
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception ex)
            {
                // The log is lost for this batch, never the call: say so and go on.
                LogWriteFailed(_logger, ex, batch.Count);
            }
            batch.Clear();
            if (!_queue.Reader.Completion.IsCompleted)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async Task WriteAsync(List<BlackListCalls> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlackListDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Calls.AddRange(batch);
        await db.SaveChangesAsync();
        foreach (var hits in batch.Where(c => c.RuleId is not null).GroupBy(c => c.RuleId!.Value))
        {
            var count = hits.Count();
            var last = hits.Max(c => c.At);
            await db.Numbers.Where(n => n.Id == hits.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.HitCount, n => n.HitCount + count).SetProperty(n => n.LastHitAt, last));
        }
        await transaction.CommitAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} blocked call(s) to the call log")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
