using System.Diagnostics;
using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;

namespace PbxModules.AmiFlood;

/// <summary>One flood through our <see cref="AmiClient"/> to one subscriber that counts until every event arrived.</summary>
internal static class OursRun
{
    public sealed record Result(int Delivered, long Dropped, double Seconds, double BytesPerEvent)
    {
        public double EventsPerSecond => Delivered / Seconds;
    }

    public static async Task<Result> RunAsync(FloodEvents events)
    {
        await using var server = new FloodServer(events);
        await using var client = new AmiClient(new AmiClientOptions
        {
            Port = server.Port,
            Username = "flood",
            Secret = "flood",
            UseChallengeLogin = false,
            KeepAliveInterval = TimeSpan.Zero,
        });
        // Deep enough that a counting consumer never loses one: the figure is the reader's, not the queue's.
        using var subscriber = client.Subscribe(new AmiSubscription { QueueCapacity = 1 << 20, Overflow = AmiQueueOverflow.DropNewest }, "flood-counter");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await client.StartAsync();
        var delivered = 0;
        long started = 0;
        while (delivered < events.Count && await subscriber.Reader.WaitToReadAsync())
        {
            while (subscriber.Reader.TryRead(out _))
            {
                if (delivered++ == 0) started = Stopwatch.GetTimestamp();
                if (delivered == events.Count) break;
            }

            if (subscriber.Stats.Dropped > 0 && delivered + subscriber.Stats.Dropped >= events.Count) break;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await client.StopAsync();
        return new Result(delivered, subscriber.Stats.Dropped, seconds, (double)allocated / events.Count);
    }
}
