using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>Per-subscriber bounded queues: a slow consumer only hurts itself.</summary>
public sealed class AmiSubscriberTests
{
    // Only the test's own events: login-time events (FullyBooted, SuccessfulAuth) may still be arriving.
    private static HashSet<string> Ticks => new(["Tick"], StringComparer.OrdinalIgnoreCase);

    [Fact]
    public async Task A_connection_marker_dropped_by_a_full_queue_is_queued_again_and_is_not_counted_as_a_lost_event()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        await using var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        // Subscribed while connected: the marker is queued at once, then three ticks overflow a queue of 2.
        using var worker = client.Subscribe(new AmiSubscription { EventNames = Ticks, QueueCapacity = 2, Overflow = AmiQueueOverflow.DropOldest }, "worker", includeConnectionEvents: true);
        using var sentinel = client.Subscribe(AmiSubscription.ForEvents("Sentinel"), "sentinel");

        await server.SendRawAsync("Event: Tick\r\nSeq: 1\r\n\r\nEvent: Tick\r\nSeq: 2\r\n\r\nEvent: Tick\r\nSeq: 3\r\n\r\nEvent: Sentinel\r\n\r\n");
        await sentinel.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);

        // Without the marker the worker would never resync with this connection.
        Assert.True(AmiConnectionEvents.IsConnectedMarker(await worker.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety)));
        Assert.Equal("3", (await worker.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety))["Seq"]);
        Assert.Equal(2, worker.Stats.Dropped);
    }

    [Fact]
    public async Task Slow_subscriber_fills_only_its_own_queue()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        await using var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        using var slow = client.Subscribe(new AmiSubscription { EventNames = Ticks, QueueCapacity = 10, Overflow = AmiQueueOverflow.DropOldest }, "slow");
        using var fast = client.Subscribe(new AmiSubscription { EventNames = Ticks, QueueCapacity = 10 }, "fast");
        var fastReceived = new List<AmiEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in fast.ReadAllAsync())
            {
                fastReceived.Add(e);
                if (fastReceived.Count == 200) return;
            }
        });

        using var safety = new CancellationTokenSource(AmiTestSupport.Safety);
        for (var i = 0; i < 200; i++)
        {
            await server.SendEventAsync("Tick", ("Seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            // Pace the producer on the fast subscriber's intake, so "fast" never overflows while "slow" never reads.
            // The safety token turns a lost event into a failure naming it instead of a spin for ever.
            while (fast.Stats.Received <= i)
            {
                Assert.False(safety.IsCancellationRequested, $"event {i} never reached the fast subscriber");
                await Task.Delay(1, CancellationToken.None);
            }
        }

        await reading.WaitAsync(AmiTestSupport.Safety);
        // A round-trip after the last event: every event has been dispatched by then.
        await client.PingAsync();

        Assert.Equal(200, fastReceived.Count);
        Assert.Equal(0, fast.Stats.Dropped);
        Assert.Equal(10, slow.Stats.QueueDepth);
        Assert.Equal(190, slow.Stats.Dropped);
        Assert.Equal(200, slow.Stats.Received);
        // DropOldest keeps the newest ten.
        var kept = new List<string?>();
        while (slow.Reader.TryRead(out var e)) kept.Add(e["Seq"]);
        Assert.Equal(Enumerable.Range(190, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), kept);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task DropNewest_keeps_the_first_events()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        await using var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        using var subscriber = client.Subscribe(new AmiSubscription { EventNames = Ticks, QueueCapacity = 3, Overflow = AmiQueueOverflow.DropNewest });
        for (var i = 0; i < 10; i++) await server.SendEventAsync("Tick", ("Seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await client.PingAsync();

        var kept = new List<string?>();
        while (subscriber.Reader.TryRead(out var e)) kept.Add(e["Seq"]);
        Assert.Equal(["0", "1", "2"], kept);
        Assert.Equal(7, subscriber.Stats.Dropped);
    }

    [Fact]
    public async Task Disposing_unsubscribes_and_completes_the_reader()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        await using var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        var subscriber = client.Subscribe(new AmiSubscription());
        Assert.Single(client.Subscribers);

        subscriber.Dispose();

        Assert.Empty(client.Subscribers);
        await subscriber.Reader.Completion.WaitAsync(AmiTestSupport.Safety);
    }
}
