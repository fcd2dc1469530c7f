using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Ami.Transport;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// The one AMI connection: it connects, logs in, correlates answers by <c>ActionID</c>, fans events
/// out to subscribers' own queues, pings to detect a dead peer, and reconnects with capped
/// exponential backoff and jitter. Callers never see a reconnect, only <see cref="State"/>.
/// Over TCP or HTTP (AJAM), by <see cref="AmiClientOptions.Transport"/>.
/// </summary>
/// <remarks>
/// Lifecycle: <see cref="StartAsync"/> returns at once and connects in the background;
/// <see cref="StopAsync"/> logs off and stops reconnecting. Thread-safe.
/// </remarks>
public sealed class AmiClient : IAmiClient, IAsyncDisposable
{
    private const int MaxHeldEvents = 10_000;

    private readonly AmiClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, PendingAction> _pending = new(StringComparer.Ordinal);
    private readonly string _actionIdPrefix;
    private readonly Lock _eventGate = new();
    private readonly List<AmiEvent> _heldEvents = [];
    private readonly Channel<AmiConnectionStateChangedEventArgs> _stateNotifications =
        Channel.CreateUnbounded<AmiConnectionStateChangedEventArgs>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lifecycleGate = new();
    private AmiSubscriber[] _subscribers = [];
    private bool _eventsOpen;
    private long _actionCounter;
    private int _subscriberCounter;
    private volatile IAmiTransport? _transport;
    private volatile AmiConnectionState _state = AmiConnectionState.NotStarted;
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connectionNumber;
    private CancellationTokenSource? _stopping;
    // Set before our own Logoff goes out: Asterisk answers Goodbye and closes the socket, which must
    // not read as a lost connection (no warning, no reconnect) even if it is seen before the stop token fires.
    private volatile bool _stopRequested;
    private Task _supervisor = Task.CompletedTask;
    private Task _notifier = Task.CompletedTask;

    /// <summary>Creates the client (dependency injection).</summary>
    public AmiClient(IOptions<AmiClientOptions> options, ILogger<AmiClient> logger, TimeProvider? timeProvider = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), logger, timeProvider)
    {
    }

    /// <summary>Creates the client.</summary>
    public AmiClient(AmiClientOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _actionIdPrefix = options.ActionIdPrefix ?? $"pbxm-{Random.Shared.Next(0x10000, 0xFFFFF):x}-";
    }

    /// <summary>The options in use.</summary>
    public AmiClientOptions Options => _options;

    /// <summary>Where the connection stands.</summary>
    public AmiConnectionState State => _state;

    /// <inheritdoc/>
    public bool IsConnected => _state == AmiConnectionState.Connected;

    /// <summary>How many times the client has logged in since it started.</summary>
    public int ConnectionNumber => Volatile.Read(ref _connectionNumber);

    /// <summary>Why the last connection attempt failed or the last connection was lost; null when none did.</summary>
    public string? LastError { get; private set; }

    /// <summary>When the current connection logged in; null when disconnected.</summary>
    public DateTimeOffset? ConnectedSince { get; private set; }

    /// <summary>The server's identification (TCP banner, e.g. <c>Asterisk Call Manager/9.0.0</c>).</summary>
    public string? Server { get; private set; }

    /// <summary>The current subscribers (for diagnostics).</summary>
    public IReadOnlyList<AmiSubscriber> Subscribers => Volatile.Read(ref _subscribers);

    /// <summary>
    /// Raised, in order and off the connection's reader, on every state change. A change to
    /// <see cref="AmiConnectionState.Connected"/> with <see cref="AmiConnectionStateChangedEventArgs.IsReconnect"/>
    /// means workers should resynchronise. Handlers should be quick; exceptions are logged.
    /// </summary>
    public event EventHandler<AmiConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>Starts connecting in the background. Returns at once; calling it again does nothing.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycleGate)
        {
            if (_stopping is not null) return Task.CompletedTask;
            _stopping = new CancellationTokenSource();
            _notifier = Task.Run(NotifyStateChangesAsync, CancellationToken.None);
            _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Logs off (best effort), closes the connection and stops reconnecting. Pending actions fail.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stopping;
        lock (_lifecycleGate)
        {
            stopping = _stopping;
            if (stopping is null || stopping.IsCancellationRequested) return;
        }

        _stopRequested = true;
        var transport = _transport;
        if (transport is not null && IsConnected)
        {
            try
            {
                var logoff = new AmiAction("Logoff") { Timeout = TimeSpan.FromSeconds(2) };
                await SendOnAsync(transport, logoff, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or AmiNotConnectedException or OperationCanceledException)
            {
                // Logging off is a courtesy; the socket closes either way.
            }
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _supervisor.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host gave up waiting; the supervisor still stops on its own.
        }

        AmiLog.Stopped(_logger);
    }

    /// <summary>Waits until the client is logged in.</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default)
    {
        var signal = Volatile.Read(ref _connectedSignal);
        return IsConnected ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Subscribes to events: the returned subscriber has its own bounded queue. Dispose it to unsubscribe.
    /// </summary>
    /// <param name="subscription">Which events, queue capacity and overflow policy.</param>
    /// <param name="name">A name for logs and diagnostics.</param>
    /// <param name="includeConnectionEvents">
    /// Also queue a <see cref="AmiConnectionEvents.ConnectedEventName"/> marker at every login (and at once
    /// if already connected), so the consumer knows, in order, where a new connection's events begin.
    /// </param>
    public AmiSubscriber Subscribe(AmiSubscription subscription, string? name = null, bool includeConnectionEvents = false)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var id = Interlocked.Increment(ref _subscriberCounter);
        var subscriber = new AmiSubscriber(this, subscription, includeConnectionEvents, name ?? $"subscriber-{id}", _options, _time, _logger);
        lock (_eventGate)
        {
            _subscribers = [.. _subscribers, subscriber];
            if (_eventsOpen) subscriber.OfferMarker(AmiConnectionEvents.Create(_connectionNumber));
        }

        return subscriber;
    }

    internal void Unsubscribe(AmiSubscriber subscriber)
    {
        lock (_eventGate) _subscribers = [.. _subscribers.Where(s => s != subscriber)];
    }

    /// <inheritdoc/>
    public async Task<AmiResponse> SendAsync(AmiAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var transport = _transport;
        if (transport is null || !IsConnected)
        {
            if (!_options.WaitForConnection || _state == AmiConnectionState.Stopped)
                throw new AmiNotConnectedException($"AMI is not connected to {_options.Endpoint} ({LastError ?? _state.ToString()}); it reconnects by itself.");

            var timeout = action.Timeout ?? _options.ActionTimeout;
            try
            {
                await WaitUntilConnectedAsync(cancellationToken).WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new AmiNotConnectedException($"AMI did not connect to {_options.Endpoint} within {timeout} ({LastError ?? "connecting"}).");
            }

            transport = _transport ?? throw new AmiNotConnectedException($"AMI connection to {_options.Endpoint} dropped again.");
        }

        return await SendOnAsync(transport, action, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next ActionID: a per-client prefix and an atomic counter.</summary>
    internal string NextActionId()
        => _actionIdPrefix + Interlocked.Increment(ref _actionCounter).ToString(CultureInfo.InvariantCulture);

    private async Task<AmiResponse> SendOnAsync(IAmiTransport transport, AmiAction action, CancellationToken cancellationToken)
    {
        var actionId = NextActionId();
        var pending = new PendingAction(actionId, action, transport, Broadcast);
        _pending[actionId] = pending;
        var timeout = action.Timeout ?? _options.ActionTimeout;
        try
        {
            // A transport that closed before we registered would never fail us: check after registering.
            if (transport.Closed.IsCompleted) throw new AmiNotConnectedException($"AMI connection to {_options.Endpoint} is closed.");
            // The time-out covers putting the action on the wire too: a peer that stops reading must not
            // hold a caller past its time-out (the write goes on, and fails with the connection).
            var started = _time.GetTimestamp();
            var send = transport.SendAsync(action, actionId, cancellationToken);
            if (!send.IsCompleted) _ = send.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await send.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            var remaining = timeout - _time.GetElapsedTime(started);
            return await pending.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            AmiLog.ActionTimedOut(_logger, action.Name, actionId, timeout);
            throw new TimeoutException($"AMI action '{action.Name}' (ActionID {actionId}) got no answer within {timeout}.");
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
        {
            throw new AmiNotConnectedException($"AMI action '{action.Name}' could not be sent to {_options.Endpoint}: {ex.Message}");
        }
        finally
        {
            _pending.TryRemove(actionId, out _);
            pending.Abandon();
        }
    }

    /// <summary>Every frame any transport receives comes here: answers are correlated, events fanned out.</summary>
    internal void OnFrame(AmiMessage frame)
    {
        var actionId = frame.ActionId;
        switch (frame)
        {
            case AmiEvent amiEvent:
                if (actionId is not null && _pending.TryGetValue(actionId, out var owner) && owner.AcceptEvent(amiEvent)) return;
                Broadcast(amiEvent);
                break;
            case AmiResponse response:
                if (actionId is not null && _pending.TryGetValue(actionId, out var pending)) pending.AcceptResponse(response);
                else AmiLog.UnmatchedResponse(_logger, actionId);
                break;
            default:
                AmiLog.UnknownFrame(_logger, frame.Headers.Count > 0 ? frame.Headers[0].Key : string.Empty);
                break;
        }
    }

    private void Broadcast(AmiEvent amiEvent)
    {
        lock (_eventGate)
        {
            if (!_eventsOpen)
            {
                // Events that arrive between the login response and the moment the connection is declared
                // up (FullyBooted…) wait here, so subscribers see the connection marker first.
                if (_heldEvents.Count < MaxHeldEvents) _heldEvents.Add(amiEvent);
                return;
            }

            foreach (var subscriber in _subscribers) subscriber.Offer(amiEvent);
        }
    }

    private void OpenEvents(int connectionNumber)
    {
        lock (_eventGate)
        {
            var marker = AmiConnectionEvents.Create(connectionNumber);
            foreach (var subscriber in _subscribers) subscriber.OfferMarker(marker);
            _eventsOpen = true;
            foreach (var held in _heldEvents)
                foreach (var subscriber in _subscribers) subscriber.Offer(held);
            _heldEvents.Clear();
        }
    }

    private void CloseEvents()
    {
        lock (_eventGate)
        {
            _eventsOpen = false;
            _heldEvents.Clear();
        }
    }

    private void FailPending(IAmiTransport transport, Exception reason)
    {
        var exception = new AmiNotConnectedException($"AMI connection to {_options.Endpoint} was lost before the answer arrived: {reason.Message}");
        foreach (var pending in _pending.Values)
            if (pending.Transport == transport) pending.Fail(exception);
    }

    private IAmiTransport CreateTransport() => _options.Transport switch
    {
        AmiTransport.Tcp => new AmiTcpTransport(_options, _logger, OnFrame),
        AmiTransport.Http => new AmiHttpTransport(_options, _logger, OnFrame),
        _ => throw new InvalidOperationException($"Unknown AMI transport '{_options.Transport}'."),
    };

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            SetState(AmiConnectionState.Connecting, null);
            AmiLog.Connecting(_logger, _options.Endpoint, _options.Transport);
            var transport = CreateTransport();
            // Pending actions fail the moment their connection goes, not when the supervisor gets round to it.
            _ = transport.Closed.ContinueWith(t => FailPending(transport, t.Result), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            string reason;
            try
            {
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    connectTimeout.CancelAfter(_options.ConnectTimeout);
                    try
                    {
                        await transport.ConnectAsync(connectTimeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                        throw new TimeoutException($"no AMI banner within {_options.ConnectTimeout}");
                    }
                }

                _transport = transport;
                await transport.AuthenticateAsync((a, ct) => SendOnAsync(transport, a, ct), stop).ConfigureAwait(false);

                var number = Interlocked.Increment(ref _connectionNumber);
                Server = transport.ServerDescription;
                ConnectedSince = _time.GetUtcNow();
                LastError = null;
                // Connected before the marker goes out: a worker that answers the marker by sending an
                // action (OnConnectedAsync) must find the client connected, not fail with "not connected".
                SetState(AmiConnectionState.Connected, null);
                OpenEvents(number);
                AmiLog.Connected(_logger, _options.Endpoint, _options.Username, transport.ServerDescription, number);
                failures = 0;
                transport.StartEvents();

                reason = await KeepAliveAsync(transport, stop).ConfigureAwait(false);
                if (!stop.IsCancellationRequested && !_stopRequested) AmiLog.ConnectionLost(_logger, _options.Endpoint, reason);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                reason = "stopped";
            }
            catch (AmiAuthenticationException ex)
            {
                reason = $"login refused: {ex.Message}";
                AmiLog.LoginFailed(_logger, _options.Endpoint, _options.Username, ex.Message);
            }
            catch (Exception ex)
            {
                reason = ex.Message;
                // A refused or timed-out connect is routine while Asterisk restarts: no stack trace for those.
                AmiLog.ConnectFailed(_logger, _options.Endpoint, ex.Message, ex is System.Net.Sockets.SocketException or TimeoutException or IOException or AmiNotConnectedException ? null : ex);
            }

            CloseEvents();
            _transport = null;
            ConnectedSince = null;
            transport.Abort(new IOException(reason));
            await transport.DisposeAsync().ConfigureAwait(false);
            if (stop.IsCancellationRequested || _stopRequested) break;

            LastError = reason;
            SetState(AmiConnectionState.Disconnected, reason);
            var delay = Backoff(failures++);
            AmiLog.Reconnecting(_logger, _options.Endpoint, delay);
            try
            {
                await Task.Delay(delay, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        SetState(AmiConnectionState.Stopped, "stopped");
        _stateNotifications.Writer.TryComplete();
    }

    /// <summary>Pings while connected; returns why the connection ended.</summary>
    private async Task<string> KeepAliveAsync(IAmiTransport transport, CancellationToken stop)
    {
        if (_options.KeepAliveInterval <= TimeSpan.Zero)
            return (await transport.Closed.WaitAsync(stop).ConfigureAwait(false)).Message;

        while (true)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var delay = Task.Delay(_options.KeepAliveInterval, _time, tick.Token);
            var first = await Task.WhenAny(transport.Closed, delay).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false);
            if (first == transport.Closed) return transport.Closed.Result.Message;
            stop.ThrowIfCancellationRequested();
            try
            {
                await SendOnAsync(transport, new AmiAction("Ping") { Timeout = _options.KeepAliveTimeout }, stop).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                AmiLog.KeepAliveFailed(_logger, _options.Endpoint, _options.KeepAliveTimeout);
                var reason = $"no answer to keepalive Ping within {_options.KeepAliveTimeout}";
                transport.Abort(new IOException(reason));
                return reason;
            }
            catch (AmiNotConnectedException)
            {
                return transport.Closed.IsCompleted ? transport.Closed.Result.Message : "keepalive could not be sent";
            }
        }
    }

    /// <summary>Capped exponential backoff with jitter: half the step fixed, half random, so clients restarted together spread out.</summary>
    internal TimeSpan Backoff(int failures)
    {
        var min = Math.Max(_options.ReconnectMinDelay.TotalMilliseconds, 1);
        var max = Math.Max(_options.ReconnectMaxDelay.TotalMilliseconds, min);
        var step = Math.Min(max, min * Math.Pow(2, Math.Min(failures, 30)));
        return TimeSpan.FromMilliseconds(step / 2 + Random.Shared.NextDouble() * step / 2);
    }

    private void SetState(AmiConnectionState state, string? reason)
    {
        AmiConnectionState previous;
        lock (_lifecycleGate)
        {
            previous = _state;
            if (previous == state) return;
            _state = state;
            if (state == AmiConnectionState.Connected) _connectedSignal.TrySetResult();
            else if (_connectedSignal.Task.IsCompleted) _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _stateNotifications.Writer.TryWrite(new AmiConnectionStateChangedEventArgs(previous, state, Volatile.Read(ref _connectionNumber), reason));
    }

    private async Task NotifyStateChangesAsync()
    {
        await foreach (var change in _stateNotifications.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                StateChanged?.Invoke(this, change);
            }
            catch (Exception ex)
            {
                AmiLog.StateHandlerFailed(_logger, ex);
            }
        }
    }

    /// <summary>Stops the client and completes every subscriber's queue.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _notifier.ConfigureAwait(false);
        foreach (var subscriber in Subscribers) subscriber.Complete();
        _stopping?.Dispose();
    }
}
