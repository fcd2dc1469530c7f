using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Tasks.Sources;
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
/// <remarks>
/// One partial file per concern: this one the state, the timer and the session's end; <c>.Reading</c> the
/// environment and the reader loop; <c>.Commands</c> writing a command and waiting for its reply;
/// <c>.Closing</c> how the session closes (hang-up, a closed or stalled connection) and what that means for a command.
/// </remarks>
internal sealed partial class FastAgiSession : IAgiChannel, IAgiChannelState, IValueTaskSource<AgiReply>, IAsyncDisposable
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
        catch (Exception ex) when (FastAgiConnectionErrors.IsConnectionLost(ex))
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
}
