using System.Diagnostics;
using System.Net;

namespace PbxModules.LoadGen;

/// <summary>One level's figures. Latencies in milliseconds.</summary>
internal sealed record LevelResult(int Sessions, int Errors, int Blocked, int Wrong, bool Checked, TimeSpan Elapsed, double P50, double P99, double Max, int Count)
{
    public static LevelResult From(double[] latencies, TimeSpan elapsed, int errors, int blocked, int wrong, bool @checked)
    {
        var done = latencies.Where(l => l >= 0).ToArray();
        Array.Sort(done);
        double At(double q) => done.Length == 0 ? double.NaN : done[(int)Math.Round(q * (done.Length - 1))];
        return new LevelResult(done.Length, errors, blocked, wrong, @checked, elapsed, At(0.50), At(0.99), done.Length == 0 ? double.NaN : done[^1], done.Length);
    }
}

/// <summary>Runs sessions at a fixed concurrency until a count or a time limit is reached.</summary>
internal static class Level
{
    /// <param name="endPoint">The daemon's FastAGI listener.</param>
    /// <param name="environments">Session environments, used round-robin.</param>
    /// <param name="expected">The expected BLACKLISTED per environment (null: the baseline route, which must say NOT_FOUND).</param>
    /// <param name="concurrency">Sessions in flight at once.</param>
    /// <param name="calls">Sessions to run.</param>
    /// <param name="maxTime">No new session starts after this.</param>
    public static async Task<LevelResult> RunAsync(IPEndPoint endPoint, byte[][] environments, bool[]? expected, int concurrency, int calls, TimeSpan maxTime)
    {
        var latencies = new double[calls];
        Array.Fill(latencies, -1);
        var next = -1;
        var errors = 0;
        var blocked = 0;
        var wrong = 0;
        // A session that hangs must not hang the run: everything stops 30 s after the time limit.
        using var hardStop = new CancellationTokenSource(maxTime + TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (true)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= calls || watch.Elapsed > maxTime) return;
                    var e = i % environments.Length;
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        var outcome = await FastAgiCaller.RunAsync(endPoint, environments[e], hardStop.Token);
                        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        if (expected is null)
                        {
                            if (outcome.Status != "NOT_FOUND") Interlocked.Increment(ref wrong);
                        }
                        else
                        {
                            if (outcome.Blacklisted == '1') Interlocked.Increment(ref blocked);
                            if (outcome.Status != "OK" || outcome.Blacklisted != (expected[e] ? '1' : '0')) Interlocked.Increment(ref wrong);
                        }
                    }
                    catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or OperationCanceledException or InvalidOperationException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            });
        }
        await Task.WhenAll(workers);
        return LevelResult.From(latencies, watch.Elapsed, errors, blocked, wrong, expected is not null);
    }
}
