using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Server;

/// <summary>
/// One FastAGI connection seen as an <see cref="IAgiChannel"/>. After the environment, a single reader
/// loop owns the input: it completes the pending command with its reply and turns an unsolicited
/// <c>HANGUP</c> into a cancelled <see cref="HangupToken"/> at any moment, including while the handler is
/// busy elsewhere. Commands are sent one at a time; the pending reply is a reusable value-task source,
/// so a command costs no allocation beyond its line and the reply's strings.
/// </summary>
internal sealed class FastAgiSession : IAgiChannel, IAgiChannelState, IValueTaskSource<AgiReply>, IAsyncDisposable
{
    private enum State { Open, HungUp, Closed }

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FastAgiOptions _options;
    private readonly ILogger _logger;
    private readonly string _connectionId;
    private readonly string? _remote;
    private readonly byte[] _scratch;
    private readonly AgiReplyParser _replies;
    // Never disposed: it has no timer, and a handler may still read HangupToken after the session ends.
    private readonly CancellationTokenSource _hangup = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private readonly CancellationToken _connectionClosed;
    private CancellationTokenRegistration _connectionClosedRegistration;
    private ManualResetValueTaskSourceCore<AgiReply> _pending = new() { RunContinuationsAsynchronously = true };
    private AgiRequest? _request;

    // Guarded by _gate.
    private State _state;
    private string _closedReason = string.Empty;
    private bool _waiting;      // a command awaits its reply
    private int _discard;       // replies still owed to commands whose caller stopped waiting
    private string? _command;   // the last command sent, for messages
    private bool _ended;        // a command that ends the channel succeeded (HANGUP, EXEC … result=-1)

    private volatile bool _timerFired;
    private volatile bool _stopping;
    private int _problemLogged;

    public FastAgiSession(IDuplexPipe transport, FastAgiOptions options, ILogger logger, TimeProvider time, string connectionId, string? remote,
        CancellationToken connectionClosed = default)
    {
        _connectionClosed = connectionClosed;
        _input = transport.Input;
        _output = transport.Output;
        _options = options;
        _logger = logger;
        _connectionId = connectionId;
        _remote = remote;
        // Only lines that straddle pipe segments are copied here; pooled so a call costs no 16 KiB array.
        _scratch = ArrayPool<byte>.Shared.Rent(options.MaxLineLength);
        _replies = new AgiReplyParser(options.MaxReplyLength);
        _timer = time.CreateTimer(static s => ((FastAgiSession)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public AgiRequest Request => _request ?? throw new InvalidOperationException("The AGI environment has not been read yet.");

    public bool IsHungUp
    {
        get { lock (_gate) return _state != State.Open; }
    }

    public CancellationToken HangupToken => _hangup.Token;

    public string? CommandAwaitingReply
    {
        get { lock (_gate) return _waiting || _discard > 0 ? _command : null; }
    }

    public bool IsChannelGone
    {
        get { lock (_gate) return _state != State.Open || _ended; }
    }

    /// <summary>True once this session has written its one log line about a misbehaving peer.</summary>
    public bool ProblemLogged => Volatile.Read(ref _problemLogged) != 0;

    /// <summary>Reads the <c>agi_*</c> block. Returns false (after one log line) when the peer fails to send it.</summary>
    public async Task<bool> ReadRequestAsync()
    {
        var parser = new AgiEnvironmentParser(_options.MaxEnvironmentVariables);
        Arm(_options.EnvironmentTimeout);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var done = false;
                try
                {
                    while (!done && AgiLineReader.TryReadLine(ref buffer, _options.MaxLineLength, out var line))
                        done = parser.ParseLine(AgiLineReader.AsSpan(line, _scratch));
                }
                finally
                {
                    // Once the block is complete, what follows (a HANGUP already on its way) is left
                    // unexamined so that the reader loop sees it without waiting for more bytes.
                    if (done) _input.AdvanceTo(buffer.Start);
                    else _input.AdvanceTo(buffer.Start, buffer.End);
                }
                if (done)
                {
                    _request = parser.ToRequest();
                    return true;
                }
                if (result.IsCompleted)
                {
                    LogOnce(() => FastAgiLog.ClosedDuringEnvironment(_logger, _connectionId, _remote));
                    return false;
                }
                if (result.IsCanceled && _timerFired)
                {
                    LogOnce(() => FastAgiLog.EnvironmentTimeout(_logger, _connectionId, _remote, _options.EnvironmentTimeout));
                    return false;
                }
            }
        }
        catch (AgiProtocolException ex)
        {
            LogOnce(() => FastAgiLog.ProtocolError(_logger, _connectionId, _remote, ex.Message));
            return false;
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            LogOnce(() => FastAgiLog.ConnectionLost(_logger, _connectionId, _remote, ex.Message));
            return false;
        }
        finally
        {
            Disarm();
        }
    }

    /// <summary>The reader loop: runs until <see cref="StopAsync"/>, the peer closes, or it breaks the protocol. Never throws.</summary>
    public async Task RunAsync()
    {
        // Kestrel may learn that the socket is gone before a read does. Closing the session from here
        // (not linking the handler's token to the connection) keeps the order fixed: the session is
        // closed and the waiting command failed with AgiHangupException before any token fires.
        _connectionClosedRegistration = _connectionClosed.UnsafeRegister(static s => ((FastAgiSession)s!).OnRemoteClosed(), this);
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                AgiReply? delivery = null;
                try
                {
                    while (AgiLineReader.TryReadLine(ref buffer, _options.MaxLineLength, out var line))
                        OnLine(AgiLineReader.AsSpan(line, _scratch), ref delivery);
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    // The reply is handed over only after every line already received has been read, so
                    // that a HANGUP right behind it is known before the handler sends its next command.
                    if (delivery is { } reply) _pending.SetResult(reply);
                }

                if (_stopping) return;
                if (result.IsCompleted)
                {
                    OnRemoteClosed();
                    return;
                }
                if (result.IsCanceled)
                {
                    if (_timerFired && IsAwaitingReply())
                    {
                        OnStalled();
                        return;
                    }
                    continue;
                }
                // Bytes arrived: a reply that is still coming in keeps the session alive.
                if (IsAwaitingReply()) Arm(_options.IdleTimeout);
            }
        }
        catch (AgiProtocolException ex)
        {
            LogOnce(() => FastAgiLog.ProtocolError(_logger, _connectionId, _remote, ex.Message));
            Close("Asterisk broke the AGI protocol: " + ex.Message, new AgiProtocolException(ex.Message, ex));
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            if (!_stopping) LogOnce(() => FastAgiLog.ConnectionLost(_logger, _connectionId, _remote, ex.Message));
            Close("the connection was lost: " + ex.Message, new AgiHangupException("The connection to Asterisk was lost: " + ex.Message, ex, _hangup.Token));
        }
        catch (Exception ex)
        {
            LogOnce(() => FastAgiLog.Unexpected(_logger, _connectionId, _remote, ex));
            Close("unexpected failure: " + ex.Message, new AgiHangupException("The AGI session failed: " + ex.Message, ex, _hangup.Token));
        }
    }

    // Pooled builder: a command that waits for its reply would otherwise allocate its state machine box.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<AgiReply> SendCommandAsync(string commandLine, CancellationToken cancellationToken = default)
    {
        AgiCommandLine.EnsureSingleLine(commandLine, nameof(commandLine));
        if (string.IsNullOrWhiteSpace(commandLine)) throw new ArgumentException("An AGI command cannot be empty.", nameof(commandLine));
        ThrowIfNotOpen(commandLine);
        try
        {
            // Commands are sent one at a time; concurrent callers queue here.
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (_hangup.IsCancellationRequested)
        {
            throw new AgiHangupException($"AGI command '{commandLine}' was not sent: the caller hung up.", ex, _hangup.Token);
        }
        try
        {
            short version;
            lock (_gate)
            {
                ThrowIfNotOpen(commandLine);
                _pending.Reset();
                version = _pending.Version;
                _waiting = true;
                _command = commandLine;
            }
            Arm(_options.IdleTimeout);

            Write(commandLine);
            try
            {
                var flush = await _output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (flush.IsCompleted) OnWriteFailed("the connection is closed");
            }
            catch (Exception ex) when (IsConnectionError(ex))
            {
                OnWriteFailed(ex.Message);
            }

            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static (s, ct) => ((FastAgiSession)s!).AbandonWait(ct), this)
                : default;
            try
            {
                return await new ValueTask<AgiReply>(this, version).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (ex is not AgiHangupException && _hangup.IsCancellationRequested)
            {
                throw new AgiHangupException($"Stopped waiting for the reply to AGI command '{commandLine}': the caller hung up.", ex, _hangup.Token);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Ends the session: stops the reader loop and fails any command still waiting.</summary>
    public async Task StopAsync(Task reader)
    {
        _stopping = true;
        Close("the AGI session has ended", new AgiHangupException("The AGI session has ended.", _hangup.Token));
        _input.CancelPendingRead();
        await reader.ConfigureAwait(false);
        try
        {
            await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            // The peer is gone already; there is nothing left to flush.
        }
    }

    /// <summary>Releases the timer and buffers. The reader loop must have ended (<see cref="StopAsync"/>).</summary>
    public ValueTask DisposeAsync()
    {
        _connectionClosedRegistration.Dispose();
        _timer.Dispose();
        _sendLock.Dispose();
        ArrayPool<byte>.Shared.Return(_scratch);
        return ValueTask.CompletedTask;
    }

    AgiReply IValueTaskSource<AgiReply>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<AgiReply>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<AgiReply>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _pending.OnCompleted(continuation, state, token, flags);

    private void OnLine(ReadOnlySpan<byte> line, ref AgiReply? delivery)
    {
        // Bytes still buffered when the session was closed from elsewhere belong to nobody.
        lock (_gate)
        {
            if (_state == State.Closed) return;
        }
        switch (_replies.ParseLine(line, out var reply))
        {
            case AgiLineKind.Hangup:
                OnHangup();
                break;
            case AgiLineKind.Reply:
                if (OnReply(reply)) delivery = reply;
                break;
        }
    }

    private void OnHangup()
    {
        lock (_gate)
        {
            if (_state == State.Open) _state = State.HungUp;
        }
        FastAgiLog.HangupReceived(_logger, _connectionId);
        CancelHangupToken();
    }

    // True when the reply belongs to the command being awaited (the caller delivers it).
    private bool OnReply(AgiReply reply)
    {
        var deliver = false;
        lock (_gate)
        {
            if (_discard > 0) _discard--;
            else if (_waiting)
            {
                _waiting = false;
                deliver = true;
                if (EndsChannel(_command, reply)) _ended = true;
            }
            else throw new AgiProtocolException($"a reply ('{reply}') arrived while no command was waiting for one");
            if (!_waiting && _discard == 0) Disarm();
        }
        return deliver;
    }

    // HANGUP without a channel name answered 1, or an application that asked for a hang-up (EXEC Busy
    // answers -1 and Asterisk sends HANGUP ~40 ms later: fixture fastagi_busy_then_hangup).
    private static bool EndsChannel(string? command, AgiReply reply)
    {
        if (command is null || !reply.IsSuccess) return false;
        var span = command.AsSpan().Trim();
        if (span.Equals("HANGUP", StringComparison.OrdinalIgnoreCase)) return reply.Result == 1;
        return span.StartsWith("EXEC ", StringComparison.OrdinalIgnoreCase) && reply.Result == -1;
    }

    private void AbandonWait(CancellationToken token)
    {
        lock (_gate)
        {
            if (!_waiting) return;
            _waiting = false;
            // Asterisk still owes this reply; the reader drops it when it comes.
            _discard++;
        }
        _pending.SetException(new OperationCanceledException(token));
    }

    private void OnRemoteClosed()
    {
        string? pending;
        bool hungUp;
        lock (_gate)
        {
            if (_state == State.Closed || _stopping) return;
            pending = _waiting ? _command : null;
            hungUp = _state == State.HungUp;
        }
        if (!hungUp)
        {
            var detail = pending is null ? string.Empty : $" while '{pending}' awaited its reply";
            LogOnce(() => FastAgiLog.Disconnected(_logger, _connectionId, _remote, detail));
        }
        Close("Asterisk closed the connection",
            new AgiHangupException($"Asterisk closed the connection before answering AGI command '{pending}'.", _hangup.Token));
    }

    private void OnStalled()
    {
        string? pending;
        lock (_gate) pending = _command;
        LogOnce(() => FastAgiLog.ReplyTimeout(_logger, _connectionId, _remote, pending, _options.IdleTimeout));
        Close($"Asterisk did not answer within {_options.IdleTimeout}",
            new TimeoutException($"Asterisk did not answer AGI command '{pending}' within {_options.IdleTimeout} (Agi:IdleTimeout); the session is closed."));
    }

    private void OnWriteFailed(string reason)
    {
        LogOnce(() => FastAgiLog.ConnectionLost(_logger, _connectionId, _remote, reason));
        Close("the connection was lost: " + reason, new AgiHangupException("The connection to Asterisk was lost: " + reason, _hangup.Token));
    }

    // Marks the session closed, cancels the hang-up token and fails a command still waiting.
    private void Close(string reason, Exception pendingError)
    {
        bool wasWaiting;
        lock (_gate)
        {
            if (_state == State.Closed) return;
            _state = State.Closed;
            _closedReason = reason;
            wasWaiting = _waiting;
            _waiting = false;
            Disarm();
        }
        CancelHangupToken();
        if (wasWaiting) _pending.SetException(pendingError);
    }

    // Synchronous on purpose: the handler's linked token must be cancelled by the time a command can
    // observe IsHungUp. Callbacks registered on it run here, on the reader, so they must be short (as
    // cancellation callbacks should be); one that throws is not allowed to kill the reader.
    private void CancelHangupToken()
    {
        try
        {
            _hangup.Cancel();
        }
        catch (AggregateException)
        {
        }
    }

    private void ThrowIfNotOpen(string command)
    {
        State state;
        string reason;
        lock (_gate)
        {
            state = _state;
            reason = _closedReason;
        }
        if (state == State.HungUp)
            throw new AgiHangupException($"AGI command '{command}' was not sent: the caller hung up (Asterisk sent HANGUP).", _hangup.Token);
        if (state == State.Closed)
            throw new AgiHangupException($"AGI command '{command}' was not sent: {reason}.", _hangup.Token);
    }

    private bool IsAwaitingReply()
    {
        lock (_gate) return _waiting || _discard > 0;
    }

    private void Write(string line)
    {
        var length = Encoding.UTF8.GetByteCount(line) + 1;
        var span = _output.GetSpan(length);
        var written = Encoding.UTF8.GetBytes(line, span);
        span[written] = (byte)'\n';
        _output.Advance(written + 1);
    }

    private void Arm(TimeSpan timeout)
    {
        _timerFired = false;
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    private void Disarm() => _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private void OnTimer()
    {
        // Wakes the pending read; the reading loop decides whether it still matters.
        _timerFired = true;
        _input.CancelPendingRead();
    }

    private void LogOnce(Action log)
    {
        if (Interlocked.Exchange(ref _problemLogged, 1) == 0) log();
    }

    private static bool IsConnectionError(Exception ex)
        => ex is IOException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException
            or InvalidOperationException { Source: "System.IO.Pipelines" };
}
