using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Asterisk.Ami;
using PbxModules.Host.Ami;
using PbxModules.Host.Draining;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Ami;

namespace PbxModules.Host.Tests.Ami;

/// <summary>
/// One module worker on a real loopback AMI connection (the simulated server), on a fake clock: it
/// resyncs at the connection marker, gets its events in order, is restarted (with a resync) after it
/// throws, and stops through its module's work gate, reported when it ignores being told to.
/// </summary>
public sealed class AmiWorkerRunnerTests : IAsyncLifetime
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly TimerWatchingTimeProvider _time = new();
    private readonly RecordingLogger _log = new();
    private readonly AmiWorkerDispatch _dispatch = new();
    private ServiceProvider _services = null!;
    private LoopbackAmi _ami = null!;

    public async Task InitializeAsync()
    {
        _ami = await LoopbackAmi.StartAsync(_log, _time);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<SupervisionOptions>();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<ModuleCrashBreaker>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _ami.DisposeAsync();
    }

    private ModuleCrashBreaker Breaker => _services.GetRequiredService<ModuleCrashBreaker>();

    private AmiWorkerRunner Run(IAmiWorker worker, ModuleWorkGate gate)
        => new("m", worker, _ami.Client, Breaker, gate, new AmiWorkerOptions { MinRestartDelay = TimeSpan.FromSeconds(1) }, _time, _log, _dispatch);

    private Task SendAsync(string seq, string data = "") => _ami.Server.SendEventAsync("UserEvent", ("UserEvent", "Probe"), ("Seq", seq), ("Data", data));

    [Fact]
    public async Task The_worker_resyncs_at_the_connection_marker_and_then_gets_its_events_in_order()
    {
        var worker = new ProbeWorker();
        var gate = new ModuleWorkGate(_time);
        var runner = Run(worker, gate);

        Assert.Equal("connected reconnect=False", await worker.NextAsync());
        await SendAsync("1");
        await SendAsync("2");
        Assert.Equal("event 1", await worker.NextAsync());
        Assert.Equal("event 2", await worker.NextAsync());
        Assert.Equal("m/ProbeWorker", runner.Name);
        Assert.Equal(1, gate.InFlight);

        runner.Unsubscribe();
        // Its queue has ended: the loop returns whether or not the abort came first.
        Assert.Equal(0, (await gate.AbortAsync(StopTimeout, CancellationToken.None).WaitAsync(Safety)).StillRunning);
        Assert.False(runner.IsRunning);
    }

    [Fact]
    public async Task The_dispatch_is_told_of_each_event_once_the_worker_returned_or_threw_and_not_before()
    {
        var handled = Channel.CreateUnbounded<(string Worker, string? Seq)>();
        _dispatch.Handled += (name, e) => handled.Writer.TryWrite((name, e["Seq"]));
        var worker = new ProbeWorker();
        var gate = new ModuleWorkGate(_time);
        var runner = Run(worker, gate);
        Assert.Equal("connected reconnect=False", await worker.NextAsync());

        // A worker still inside OnEventAsync: nothing is told until it returns.
        await SendAsync("1", "ignore");
        Assert.Equal("event 1", await worker.NextAsync());
        Assert.False(handled.Reader.TryRead(out _));
        worker.Unblock();
        Assert.Equal(("m/ProbeWorker", "1"), await handled.Reader.ReadAsync().AsTask().WaitAsync(Safety));

        // One that throws is done with the event too.
        _time.ForgetTimers();
        await SendAsync("2", "throw");
        Assert.Equal(("m/ProbeWorker", "2"), await handled.Reader.ReadAsync().AsTask().WaitAsync(Safety));

        runner.Unsubscribe();
        await gate.AbortAsync(StopTimeout, CancellationToken.None).WaitAsync(Safety);
        Assert.False(handled.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_worker_that_throws_is_logged_and_restarted_after_the_delay_with_a_resync_first()
    {
        var worker = new ProbeWorker();
        var gate = new ModuleWorkGate(_time);
        var runner = Run(worker, gate);
        Assert.Equal("connected reconnect=False", await worker.NextAsync());

        _time.ForgetTimers();
        await SendAsync("1", "throw");
        Assert.Equal("event 1", await worker.NextAsync());
        await SendAsync("2");
        // The restart delay runs on the fake clock: moved once the worker has started waiting it out.
        var next = worker.NextAsync();
        using var bound = new CancellationTokenSource(Safety);
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), bound.Token);
        Assert.False(next.IsCompleted, "the worker came back before its restart delay");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("connected reconnect=True", await next);
        Assert.Equal("event 2", await worker.NextAsync());
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Error && e.Message == "AMI worker m/ProbeWorker failed; restarting it in 1 s");
        Assert.Null(Breaker.GetQuarantine("m"));

        runner.Unsubscribe();
        await gate.AbortAsync(StopTimeout, CancellationToken.None).WaitAsync(Safety);
    }

    [Fact]
    public async Task Stopping_cancels_a_worker_in_the_middle_of_an_event_and_then_tells_it_that_it_stopped()
    {
        var worker = new ProbeWorker();
        var gate = new ModuleWorkGate(_time);
        var runner = Run(worker, gate);
        Assert.Equal("connected reconnect=False", await worker.NextAsync());
        await SendAsync("1", "block");
        Assert.Equal("event 1", await worker.NextAsync());

        runner.Unsubscribe();
        var stopped = await gate.AbortAsync(StopTimeout, CancellationToken.None).WaitAsync(Safety);

        Assert.Equal(new ModuleDrainResult(Aborted: 1, StillRunning: 0), stopped);
        Assert.Equal("cancelled 1", await worker.NextAsync());
        Assert.False(runner.IsRunning);
        await runner.NotifyStoppedAsync(StopTimeout);
        Assert.Equal("stopped", await worker.NextAsync());
    }

    [Fact]
    public async Task A_worker_that_ignores_being_stopped_is_reported_and_left_behind()
    {
        var worker = new ProbeWorker();
        var gate = new ModuleWorkGate(_time);
        var runner = Run(worker, gate);
        Assert.Equal("connected reconnect=False", await worker.NextAsync());
        await SendAsync("1", "ignore");
        Assert.Equal("event 1", await worker.NextAsync());

        runner.Unsubscribe();
        var stopping = gate.AbortAsync(StopTimeout, CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        _time.Advance(StopTimeout);
        Assert.Equal(new ModuleDrainResult(Aborted: 1, StillRunning: 1), await stopping.WaitAsync(Safety));
        runner.ReportIfStillRunning(StopTimeout);
        Assert.Contains("AMI worker m/ProbeWorker did not stop within 10 s", _log.Warnings);

        worker.Unblock();
        await runner.Ended.WaitAsync(Safety);
        Assert.Equal(0, gate.InFlight);
    }

    /// <summary>A fake clock that tells the test when code starts waiting on it (a timer is created), so the test moves it only then.</summary>
    private sealed class TimerWatchingTimeProvider : FakeTimeProvider
    {
        private volatile Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _created.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>Forgets the timers created so far.</summary>
        public void ForgetTimers() => _created = Channel.CreateUnbounded<TimeSpan>();

        /// <summary>Returns once a timer due after <paramref name="dueTime"/> was created (since the last <see cref="ForgetTimers"/>).</summary>
        public async Task WaitForTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken)
        {
            await foreach (var created in _created.Reader.ReadAllAsync(cancellationToken))
                if (created == dueTime) return;
        }
    }

    /// <summary>
    /// Records what it is called with. <c>Data: throw</c> throws; <c>block</c> waits for its token;
    /// <c>ignore</c> waits for <see cref="Unblock"/>, whatever its token says.
    /// </summary>
    private sealed class ProbeWorker : IAmiWorker
    {
        private readonly Channel<string> _calls = Channel.CreateUnbounded<string>();
        private readonly TaskCompletionSource _unblock = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public AmiSubscription Subscription { get; } = new()
        {
            EventNames = new HashSet<string>(["UserEvent"], StringComparer.OrdinalIgnoreCase),
            HeaderFilters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["UserEvent"] = "Probe" },
        };

        public async Task<string> NextAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(Safety);

        public void Unblock() => _unblock.TrySetResult();

        public Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
        {
            _calls.Writer.TryWrite($"connected reconnect={isReconnect}");
            return Task.CompletedTask;
        }

        public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
        {
            var seq = amiEvent["Seq"];
            _calls.Writer.TryWrite($"event {seq}");
            switch (amiEvent["Data"])
            {
                case "throw":
                    throw new InvalidOperationException("the probe throws when asked");
                case "block":
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        _calls.Writer.TryWrite($"cancelled {seq}");
                        throw;
                    }
                    break;
                case "ignore":
                    await _unblock.Task;
                    break;
            }
        }

        public Task OnStoppedAsync(CancellationToken cancellationToken)
        {
            _calls.Writer.TryWrite("stopped");
            return Task.CompletedTask;
        }
    }
}
