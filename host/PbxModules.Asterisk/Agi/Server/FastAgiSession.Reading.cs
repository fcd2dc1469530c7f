using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Server;

// Reading: the AGI environment, then the reader loop that hands replies over and notices HANGUP.
internal sealed partial class FastAgiSession
{
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
        catch (Exception ex) when (FastAgiConnectionErrors.IsConnectionLost(ex))
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
        catch (Exception ex) when (FastAgiConnectionErrors.IsConnectionLost(ex))
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
}
