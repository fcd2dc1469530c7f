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
/// One partial file per concern: this one the lifecycle and state, <c>.Connection</c> the connect and
/// reconnect loop, <c>.Actions</c> the correlation of answers, <c>.Events</c> the dispatch to subscribers.
/// </remarks>
public sealed partial class AmiClient : IAmiClient, IAsyncDisposable
{
    private readonly AmiClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<AmiConnectionStateChangedEventArgs> _stateNotifications =
        Channel.CreateUnbounded<AmiConnectionStateChangedEventArgs>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lifecycleGate = new();
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
