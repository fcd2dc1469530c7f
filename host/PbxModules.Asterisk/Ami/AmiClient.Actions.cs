using System.Collections.Concurrent;
using System.Globalization;
using PbxModules.Asterisk.Ami.Transport;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

// Action correlation: ActionIDs, the pending table and routing of every received frame.
public sealed partial class AmiClient
{
    private readonly ConcurrentDictionary<string, PendingAction> _pending = new(StringComparer.Ordinal);
    private readonly string _actionIdPrefix;
    private long _actionCounter;

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

    private void FailPending(IAmiTransport transport, Exception reason)
    {
        var exception = new AmiNotConnectedException($"AMI connection to {_options.Endpoint} was lost before the answer arrived: {reason.Message}");
        foreach (var pending in _pending.Values)
            if (pending.Transport == transport) pending.Fail(exception);
    }
}
