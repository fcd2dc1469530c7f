using PbxModules.Asterisk.Ami;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Ami;

namespace PbxModules.Host.Ami;

/// <summary>
/// Runs one module worker: reads its own subscriber queue in order, calls
/// <see cref="IAmiWorker.OnConnectedAsync"/> at each connection marker (so the worker resyncs before
/// that connection's events) and <see cref="IAmiWorker.OnEventAsync"/> for each event. When the
/// worker throws, the failure is logged and counted, and after a growing delay (or the module's
/// quarantine cool-down, whichever is longer) it resumes with a fresh resync. A slow worker only fills its own queue.
/// </summary>
internal sealed partial class AmiWorkerRunner : IAsyncDisposable
{
    private readonly string _moduleId;
    private readonly IAmiWorker _worker;
    private readonly AmiSubscriber _subscriber;
    private readonly AmiClient _client;
    private readonly ModuleCrashBreaker _breaker;
    private readonly AmiWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public AmiWorkerRunner(string moduleId, IAmiWorker worker, AmiClient client, ModuleCrashBreaker breaker, AmiWorkerOptions options, TimeProvider time, ILogger logger)
    {
        _moduleId = moduleId;
        _worker = worker;
        _client = client;
        _breaker = breaker;
        _options = options;
        _time = time;
        _logger = logger;
        Name = $"{moduleId}/{worker.GetType().Name}";
        _subscriber = client.Subscribe(worker.Subscription, Name, includeConnectionEvents: true);
        _loop = Task.Run(RunAsync);
    }

    public string Name { get; }

    /// <summary>Queue depth, received and dropped counts, for health and diagnostics.</summary>
    public AmiSubscriberStats Stats => _subscriber.Stats;

    private async Task RunAsync()
    {
        var token = _stopping.Token;
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
                        await _worker.OnEventAsync(amiEvent, token);
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

    public async ValueTask DisposeAsync()
    {
        _subscriber.Dispose();
        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(_options.StopTimeout);
        }
        catch (TimeoutException)
        {
            LogStopTimeout(_logger, Name, _options.StopTimeout.TotalSeconds);
        }
        try
        {
            using var cts = new CancellationTokenSource(_options.StopTimeout);
            await _worker.OnStoppedAsync(cts.Token);
        }
        catch (Exception ex)
        {
            LogStopFailed(_logger, ex, Name);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AMI worker {Worker} failed; restarting it in {Seconds:0.#} s")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string worker, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AMI worker {Worker} did not stop within {Seconds:0} s")]
    private static partial void LogStopTimeout(ILogger logger, string worker, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "AMI worker {Worker} failed while stopping")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string worker);
}
