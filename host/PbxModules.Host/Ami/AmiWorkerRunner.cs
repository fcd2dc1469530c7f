using PbxModules.Asterisk.Ami;
using PbxModules.Host.Draining;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Ami;

namespace PbxModules.Host.Ami;

/// <summary>
/// Runs one module worker: reads its own subscriber queue in order, calls
/// <see cref="IAmiWorker.OnConnectedAsync"/> at each connection marker (so the worker resyncs before
/// that connection's events) and <see cref="IAmiWorker.OnEventAsync"/> for each event. When the
/// worker throws, the failure is logged and counted, and after a growing delay (or the module's
/// quarantine cool-down, whichever is longer) it resumes with a fresh resync. A slow worker only fills its own queue.
/// The loop is work on the module's <see cref="ModuleWorkGate"/>: it runs until the gate's abort token
/// tells it to stop, and the supervisor stops a module's workers through that gate.
/// </summary>
internal sealed partial class AmiWorkerRunner
{
    private readonly string _moduleId;
    private readonly IAmiWorker _worker;
    private readonly AmiSubscriber _subscriber;
    private readonly AmiClient _client;
    private readonly ModuleCrashBreaker _breaker;
    private readonly AmiWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ModuleWorkGate _gate;
    private readonly AmiWorkerDispatch _dispatch;
    private readonly Task _loop;

    /// <summary>Subscribes the worker and starts its loop, unless <paramref name="gate"/> is already draining.</summary>
    public AmiWorkerRunner(string moduleId, IAmiWorker worker, AmiClient client, ModuleCrashBreaker breaker, ModuleWorkGate gate, AmiWorkerOptions options, TimeProvider time, ILogger logger, AmiWorkerDispatch dispatch)
    {
        _dispatch = dispatch;
        _moduleId = moduleId;
        _worker = worker;
        _client = client;
        _breaker = breaker;
        _options = options;
        _time = time;
        _logger = logger;
        _gate = gate;
        Name = $"{moduleId}/{worker.GetType().Name}";
        Subscription = worker.Subscription;
        _subscriber = client.Subscribe(Subscription, Name, includeConnectionEvents: true);
        _loop = gate.TryEnter() ? Task.Run(RunAsync) : Task.CompletedTask;
    }

    public string Name { get; }

    /// <summary>The events this worker is given.</summary>
    public AmiSubscription Subscription { get; }

    /// <summary>Queue depth, received and dropped counts, for health and diagnostics.</summary>
    public AmiSubscriberStats Stats => _subscriber.Stats;

    /// <summary>False once the worker's loop has returned (it runs none of the module's code any more, <see cref="NotifyStoppedAsync"/> aside).</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Completes when the worker's loop has returned and left its gate.</summary>
    public Task Ended => _loop;

    private async Task RunAsync()
    {
        try
        {
            await LoopAsync(_gate.AbortToken);
        }
        finally
        {
            _gate.Leave();
        }
    }

    private async Task LoopAsync(CancellationToken token)
    {
        var delay = _options.MinRestartDelay;
        var connectedOnce = false;
        var needsResync = false;
        var restarted = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (needsResync && _client.IsConnected)
                {
                    await _worker.OnConnectedAsync(isReconnect: true, token);
                    needsResync = false;
                }
                await foreach (var amiEvent in _subscriber.ReadAllAsync(token))
                {
                    if (AmiConnectionEvents.IsConnectedMarker(amiEvent))
                    {
                        await _worker.OnConnectedAsync(connectedOnce, token);
                        connectedOnce = true;
                        needsResync = false;
                    }
                    else
                    {
                        try
                        {
                            await _worker.OnEventAsync(amiEvent, token);
                        }
                        finally
                        {
                            _dispatch.OnHandled(Name, amiEvent);
                        }
                    }
                    delay = _options.MinRestartDelay;
                    if (restarted)
                    {
                        // The first event handled after a restart: a trial that went well, should the module be quarantined.
                        restarted = false;
                        _breaker.RecordSuccess(_moduleId);
                    }
                }
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogWorkerFailed(_logger, ex, Name, delay.TotalSeconds);
                _breaker.RecordFailure(_moduleId, $"AMI worker {_worker.GetType().Name} threw {ex.GetType().Name}: {ex.Message}");
                needsResync = connectedOnce;
                restarted = true;
                // A quarantined module's workers wait out its cool-down too.
                var wait = _breaker.RemainingCooldown(_moduleId);
                if (wait < delay) wait = delay;
                try
                {
                    await Task.Delay(wait, _time, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRestartDelay.Ticks));
            }
        }
    }

    /// <summary>Stops delivering events to the worker: its queue ends, and no new event is queued.</summary>
    public void Unsubscribe() => _subscriber.Dispose();

    /// <summary>Logs a worker whose loop was still running when stopping gave up waiting after <paramref name="timeout"/>.</summary>
    public void ReportIfStillRunning(TimeSpan timeout)
    {
        if (IsRunning) LogStopTimeout(_logger, Name, timeout.TotalSeconds);
    }

    /// <summary>Tells the worker it has been stopped (<see cref="IAmiWorker.OnStoppedAsync"/>), within <paramref name="timeout"/>; never throws.</summary>
    public async Task NotifyStoppedAsync(TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout, _time);
            await _worker.OnStoppedAsync(cts.Token);
        }
        catch (Exception ex)
        {
            LogStopFailed(_logger, ex, Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AMI worker {Worker} failed; restarting it in {Seconds:0.#} s")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string worker, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AMI worker {Worker} did not stop within {Seconds:0} s")]
    private static partial void LogStopTimeout(ILogger logger, string worker, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "AMI worker {Worker} failed while stopping")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string worker);
}
