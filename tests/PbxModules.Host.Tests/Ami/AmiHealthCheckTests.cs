using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Ami;
using PbxModules.Sdk.Ami;

namespace PbxModules.Host.Tests.Ami;

/// <summary>
/// A worker whose queue overflows must show: the <c>ami</c> health component Degraded, naming the worker
/// and the count in the last minute, one warning per interval in the log, and Healthy again after a
/// minute without drops. Real loopback AMI (the simulated server), fake clock.
/// </summary>
public sealed class AmiHealthCheckTests : IAsyncLifetime
{
    private const string WorkerName = "module-black-list/BlackListWorker";
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger _log = new();
    private LoopbackAmi _ami = null!;

    public async Task InitializeAsync() => _ami = await LoopbackAmi.StartAsync(_log, _time);

    public async Task DisposeAsync() => await _ami.DisposeAsync();

    [Fact]
    public async Task A_flood_past_a_workers_queue_is_degraded_naming_the_worker_warned_once_per_interval_and_healthy_after_the_window()
    {
        using var worker = _ami.Client.Subscribe(new AmiSubscription { EventNames = new HashSet<string> { "Flood" }, QueueCapacity = 8 }, WorkerName);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);

        await FloodAsync(2_000);

        // 2 000 offered to a queue of 8 that nobody reads: 1 992 lost.
        var degraded = await CheckAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains($"worker '{WorkerName}' dropped 1992 events in the last 60 s (queue of 8 full)", degraded.Description, StringComparison.Ordinal);
        Assert.Equal(1992L, degraded.Data[$"worker:{WorkerName}:droppedLastMinute"]);
        // The first loss is reported at once; the rest of the burst waits for the end of the interval.
        var first = Assert.Single(_log.Warnings);
        Assert.Contains($"'{WorkerName}' lost 1 events", first, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _log.Warnings.Count);
        Assert.Contains($"'{WorkerName}' lost 1991 events", _log.Warnings[1], StringComparison.Ordinal);
        Assert.Contains("1992 lost since it started", _log.Warnings[1], StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(2, _log.Warnings.Count);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync()).Status);

        _time.Advance(TimeSpan.FromSeconds(11));
        var recovered = await CheckAsync();
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.False(recovered.Data.ContainsKey($"worker:{WorkerName}:droppedLastMinute"));
        Assert.Contains("dropped 1992 (0 in the last 60 s)", (string)recovered.Data[$"worker:{WorkerName}"], StringComparison.Ordinal);

        // A new burst after a quiet interval is reported at once again.
        await FloodAsync(9);
        Assert.Equal(3, _log.Warnings.Count);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync()).Status);
    }

    [Fact]
    public async Task Drops_of_several_workers_are_each_named_with_their_own_count()
    {
        using var slow = _ami.Client.Subscribe(new AmiSubscription { EventNames = new HashSet<string> { "Flood" }, QueueCapacity = 8 }, "module-a/SlowWorker");
        using var slower = _ami.Client.Subscribe(new AmiSubscription { EventNames = new HashSet<string> { "Flood" }, QueueCapacity = 100 }, "module-b/OtherWorker");

        await FloodAsync(300);

        var result = await CheckAsync();
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("worker 'module-a/SlowWorker' dropped 292 events", result.Description, StringComparison.Ordinal);
        Assert.Contains("worker 'module-b/OtherWorker' dropped 200 events", result.Description, StringComparison.Ordinal);
        Assert.Equal(2, _log.Warnings.Count);
    }

    private Task<HealthCheckResult> CheckAsync() => new AmiHealthCheck(_ami.Client).CheckHealthAsync(new HealthCheckContext());

    /// <summary>Sends <paramref name="count"/> events at once, then waits until the client has dispatched them all.</summary>
    private async Task FloodAsync(int count)
    {
        using var sentinel = _ami.Client.Subscribe(AmiSubscription.ForEvents("Sentinel"), "test/sentinel");
        var text = new StringBuilder();
        for (var i = 0; i < count; i++) text.Append("Event: Flood\r\nPrivilege: call,all\r\nSeq: ").Append(i).Append("\r\n\r\n");
        text.Append("Event: Sentinel\r\n\r\n");
        Assert.Equal(1, await _ami.Server.SendRawAsync(text.ToString()));
        // Events are dispatched in order: once the sentinel is out, every flood event has been offered.
        await sentinel.Reader.ReadAsync().AsTask().WaitAsync(Safety);
    }
}
