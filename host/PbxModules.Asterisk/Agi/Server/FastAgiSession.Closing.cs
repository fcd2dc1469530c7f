using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Server;

// Closing: hang-up, a closed, failed or stalled connection, and what a command sees afterwards.
internal sealed partial class FastAgiSession
{
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
}
