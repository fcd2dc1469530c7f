using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks.Sources;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Server;

// Commands: one at a time on the wire, the reply awaited on the reusable value-task source.
internal sealed partial class FastAgiSession
{
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
            catch (Exception ex) when (FastAgiConnectionErrors.IsConnectionLost(ex))
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

    AgiReply IValueTaskSource<AgiReply>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<AgiReply>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<AgiReply>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _pending.OnCompleted(continuation, state, token, flags);

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

    private void Write(string line)
    {
        var length = Encoding.UTF8.GetByteCount(line) + 1;
        var span = _output.GetSpan(length);
        var written = Encoding.UTF8.GetBytes(line, span);
        span[written] = (byte)'\n';
        _output.Advance(written + 1);
    }
}
