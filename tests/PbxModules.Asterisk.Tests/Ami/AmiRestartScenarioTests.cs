using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Testing.Ami;
using Xunit.Abstractions;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>Runs alone: it measures the process's GC heap, which parallel tests would disturb.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AmiRestartScenarioCollection
{
    public const string Name = "AMI restart scenario (runs alone)";
}

/// <summary>
/// The standing "AMI restarts during a flood" scenario (docs/RELIABILITY.md): the simulated Asterisk
/// manager restarted 50 times while it floods events and the client sends actions. Every reconnect
/// waits no more than the backoff cap, no action outlives its time-out (each completes or fails with
/// <see cref="AmiNotConnectedException"/> or <see cref="TimeoutException"/>), the worker resyncs on every
/// connection, and the GC heap after a forced collection does not grow across the restarts.
/// </summary>
[Collection(AmiRestartScenarioCollection.Name)]
public sealed class AmiRestartScenarioTests(ITestOutputHelper output)
{
    private const int Rounds = 5;
    private const int RestartsPerRound = 10;
    private const int ActionLoops = 4;
    private const int FloodBatch = 200;
    private const int BatchesPerConnection = 10;
    private const long HeapGrowthBound = 8 * 1024 * 1024;
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromMilliseconds(200);
    // An action that has not finished this long after its own time-out is hanging.
    private static readonly TimeSpan Hang = ActionTimeout + AmiTestSupport.Safety;

    [Fact]
    public async Task Fifty_restarts_during_an_event_flood_and_action_traffic_lose_no_action_and_leak_nothing()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var options = AmiTestSupport.TcpOptions(server);
        options.ActionTimeout = ActionTimeout;
        options.ReconnectMinDelay = TimeSpan.FromMilliseconds(20);
        options.ReconnectMaxDelay = BackoffCap;
        options.KeepAliveInterval = TimeSpan.FromSeconds(1);
        options.KeepAliveTimeout = ActionTimeout;
        var log = new BackoffLog();
        await using var client = new AmiClient(options, log);

        // When each connection was reported Connected. The worker may see a connection resynced before
        // the client raises StateChanged for it, so the time is awaited, not looked up.
        var connectedAt = new ConcurrentDictionary<int, TaskCompletionSource<long>>();
        TaskCompletionSource<long> ConnectedAt(int number) => connectedAt.GetOrAdd(number, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        client.StateChanged += (_, e) =>
        {
            if (e.Current == AmiConnectionState.Connected) ConnectedAt(e.ConnectionNumber).TrySetResult(Stopwatch.GetTimestamp());
        };
        var worker = new ResyncingWorker(client);
        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(AmiTestSupport.Safety);
        var actions = new ActionCounts();
        var events = 0L;
        var reconnectTimes = new List<TimeSpan>();
        var heaps = new List<long>();
        var total = Stopwatch.StartNew();

        for (var round = 0; round < Rounds; round++)
        {
            using var roundEnd = new CancellationTokenSource();
            var flood = FloodAsync(server, client, worker, roundEnd.Token, n => Interlocked.Add(ref events, n));
            var traffic = Enumerable.Range(0, ActionLoops).Select(i => SendActionsAsync(client, worker, i, actions, roundEnd.Token)).ToList();
            for (var restart = 0; restart < RestartsPerRound; restart++)
            {
                var number = client.ConnectionNumber;
                // The worker has resynced this connection and seen its flood before the PBX goes away.
                await worker.ResyncedAsync(number).WaitAsync(AmiTestSupport.Safety);
                await server.SendEventAsync("Newstate", ("Channel", $"PJSIP/102-{number:x8}"), ("ChannelState", "6"), ("ChannelStateDesc", "Up"));
                await worker.EventOnConnectionAsync(number).WaitAsync(AmiTestSupport.Safety);
                var restartedAt = Stopwatch.GetTimestamp();
                await server.RestartAsync();
                await worker.ResyncedAsync(number + 1).WaitAsync(AmiTestSupport.Safety);
                reconnectTimes.Add(Stopwatch.GetElapsedTime(restartedAt, await ConnectedAt(number + 1).Task.WaitAsync(AmiTestSupport.Safety)));
            }

            await roundEnd.CancelAsync();
            try
            {
                await flood.WaitAsync(AmiTestSupport.Safety);
                await Task.WhenAll(traffic).WaitAsync(Hang + AmiTestSupport.Safety);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"round {round} did not wind down: flood {flood.Status}, traffic {string.Join(",", traffic.Select(t => t.Status))}; {actions}; client {client.State} #{client.ConnectionNumber}; resynced up to {worker.Resynced.LastOrDefault()}");
            }
            // Quiet point: the worker has drained its queue, the server forgets its recorded actions.
            await worker.DrainAsync(server, round).WaitAsync(AmiTestSupport.Safety);
            server.ClearReceivedActions();
            heaps.Add(CollectedHeap());
        }

        total.Stop();
        var restarts = Rounds * RestartsPerRound;
        Assert.Equal(restarts + 1, client.ConnectionNumber);
        // Every connection, the first and each reconnect, was resynced by the worker, in order.
        Assert.Equal(Enumerable.Range(1, restarts + 1), worker.Resynced);
        Assert.Empty(worker.ResyncFailures);
        // No reconnect waited longer than the cap, however many attempts failed in a row.
        Assert.NotEmpty(log.Delays);
        Assert.All(log.Delays, d => Assert.True(d <= BackoffCap, $"backoff {d} over the cap {BackoffCap}"));
        // Every action ended, answered or with a clear exception; none hung.
        Assert.True(actions.Hung == 0 && actions.Other == 0, $"{actions}: {string.Join("; ", actions.Problems.Take(5))}");
        Assert.True(actions.Answered > 0, actions.ToString());
        // The heap at the end of the last round is within the bound of the first round's.
        var growth = heaps[^1] - heaps[0];

        output.WriteLine($"restarts {restarts}, connections {client.ConnectionNumber}, total {total.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"events sent {Interlocked.Read(ref events)}, worker received {worker.Events}, worker queue drops {worker.Dropped}");
        output.WriteLine($"actions {actions}");
        var sorted = reconnectTimes.Order().ToList();
        output.WriteLine($"reconnect after restart: median {sorted[sorted.Count / 2].TotalMilliseconds:0} ms, max {sorted[^1].TotalMilliseconds:0} ms; backoff delays chosen: {log.Delays.Count}, max {log.Delays.Max().TotalMilliseconds:0} ms (cap {BackoffCap.TotalMilliseconds:0} ms)");
        output.WriteLine($"GC heap after each round (MB): {string.Join(", ", heaps.Select(h => (h / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}; growth {growth / 1048576.0:0.00} MB (bound {HeapGrowthBound / 1048576} MB)");
        Assert.True(growth < HeapGrowthBound, $"GC heap grew {growth} bytes over {restarts - RestartsPerRound} restarts: {string.Join(", ", heaps)}");
    }

    private static long CollectedHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// Floods each connection with <see cref="BatchesPerConnection"/> batches, as fast as the client reads
    /// them (the socket's back-pressure paces it), then waits for the next connection.
    /// </summary>
    private static async Task FloodAsync(SimulatedAmiServer server, AmiClient client, ResyncingWorker worker, CancellationToken stop, Action<long> sent)
    {
        var text = new StringBuilder();
        for (var i = 0; i < FloodBatch; i++)
            text.Append("Event: Newstate\r\nPrivilege: call,all\r\nChannel: PJSIP/101-0000").Append(i.ToString("x4", System.Globalization.CultureInfo.InvariantCulture))
                .Append("\r\nChannelState: 5\r\nChannelStateDesc: Ringing\r\nCallerIDNum: 15551230000\r\nUniqueid: 1795389869.").Append(i).Append("\r\n\r\n");
        var batch = text.ToString();
        while (!stop.IsCancellationRequested)
        {
            var connection = client.ConnectionNumber;
            for (var b = 0; b < BatchesPerConnection && !stop.IsCancellationRequested; b++)
            {
                var clients = await server.SendRawAsync(batch);
                if (clients == 0) break;
                sent((long)clients * FloodBatch);
            }

            try
            {
                await worker.ResyncedAsync(connection + 1).WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Sends actions back to back; each must end within its time-out, answered or with a clear exception.</summary>
    private static async Task SendActionsAsync(AmiClient client, ResyncingWorker worker, int loop, ActionCounts counts, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var action = (n++ % 3) switch
            {
                0 => new AmiAction("Ping"),
                1 => new AmiAction("Getvar").With("Variable", $"LOOP{loop}"),
                _ => new AmiAction("Setvar").With("Variable", $"LOOP{loop}").With("Value", n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            var connection = client.ConnectionNumber;
            var sent = client.SendAsync(action, CancellationToken.None);
            try
            {
                await sent.WaitAsync(Hang, CancellationToken.None);
                Interlocked.Increment(ref counts.Answered);
            }
            catch (AmiNotConnectedException)
            {
                Interlocked.Increment(ref counts.NotConnected);
                // The connection this was sent on is gone (or was already): wait for the next one, not spin.
                try
                {
                    await worker.ResyncedAsync(connection + 1).WaitAsync(AmiTestSupport.Safety, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
            catch (TimeoutException) when (sent.IsCompleted)
            {
                // The client's own time-out: a clear failure, on time.
                Interlocked.Increment(ref counts.TimedOut);
            }
            catch (TimeoutException)
            {
                Interlocked.Increment(ref counts.Hung);
                counts.Problems.Enqueue($"{action.Name} on connection {connection} still running {Hang} after it was sent");
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref counts.Other);
                counts.Problems.Enqueue($"{action.Name} on connection {connection}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private sealed class ActionCounts
    {
        public long Answered;
        public long NotConnected;
        public long TimedOut;
        public long Hung;
        public long Other;

        public ConcurrentQueue<string> Problems { get; } = new();

        public override string ToString()
            => $"answered {Answered}, failed 'not connected' {NotConnected}, timed out {TimedOut}, hung {Hung}, other errors {Other}";
    }

    /// <summary>
    /// A worker as the host runs one: its own queue with connection markers, a resync (an action) at
    /// each marker before that connection's events.
    /// </summary>
    private sealed class ResyncingWorker
    {
        private readonly AmiSubscriber _subscriber;
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _resynced = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _eventSeen = new();
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _drained = new();
        private readonly List<int> _resyncOrder = [];
        private readonly Task _loop;
        private long _events;

        public ResyncingWorker(AmiClient client)
        {
            _subscriber = client.Subscribe(AmiSubscription.ForEvents("Newstate", "UserEvent"), "scenario/ResyncingWorker", includeConnectionEvents: true);
            _loop = Task.Run(() => RunAsync(client));
        }

        public List<int> Resynced
        {
            get { lock (_resyncOrder) return [.. _resyncOrder]; }
        }

        public ConcurrentQueue<string> ResyncFailures { get; } = new();

        public long Events => Interlocked.Read(ref _events);

        public long Dropped => _subscriber.Stats.Dropped;

        public Task ResyncedAsync(int connection) => Signal(_resynced, connection).Task;

        public Task EventOnConnectionAsync(int connection) => Signal(_eventSeen, connection).Task;

        public async Task DrainAsync(SimulatedAmiServer server, int round)
        {
            // Events are dispatched in order: once this one is handled, the queue holds nothing older.
            await server.SendEventAsync("UserEvent", ("UserEvent", "Drain"), ("Round", round.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await Signal(_drained, round).Task;
        }

        private static TaskCompletionSource Signal(ConcurrentDictionary<int, TaskCompletionSource> signals, int key)
            => signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task RunAsync(AmiClient client)
        {
            var connection = 0;
            await foreach (var amiEvent in _subscriber.ReadAllAsync())
            {
                if (AmiConnectionEvents.IsConnectedMarker(amiEvent))
                {
                    connection = int.Parse(amiEvent["ConnectionNumber"]!, System.Globalization.CultureInfo.InvariantCulture);
                    try
                    {
                        // Resync as a worker does: list what exists now.
                        await client.SendAsync(new AmiAction("CoreShowChannels") { ExpectsEventList = true });
                        lock (_resyncOrder) _resyncOrder.Add(connection);
                        Signal(_resynced, connection).TrySetResult();
                    }
                    catch (Exception ex) when (ex is AmiNotConnectedException or TimeoutException)
                    {
                        // The connection went during the resync; the next marker resyncs again. The scenario
                        // restarts only after a resync, so this must not happen.
                        ResyncFailures.Enqueue($"connection {connection}: {ex.Message}");
                    }

                    continue;
                }

                Interlocked.Increment(ref _events);
                if (amiEvent.Name == "UserEvent" && amiEvent["UserEvent"] == "Drain")
                    Signal(_drained, int.Parse(amiEvent["Round"]!, System.Globalization.CultureInfo.InvariantCulture)).TrySetResult();
                else if (connection > 0)
                    Signal(_eventSeen, connection).TrySetResult();
            }
        }
    }

    /// <summary>Keeps only the reconnect delays the client chose (nothing that grows with the run).</summary>
    private sealed class BackoffLog : ILogger
    {
        private readonly ConcurrentQueue<TimeSpan> _delays = new();

        public IReadOnlyList<TimeSpan> Delays => [.. _delays];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
            foreach (var (key, value) in values)
                if (key == "Delay" && value is TimeSpan delay) _delays.Enqueue(delay);
        }
    }
}
