using PbxModules.Asterisk.Ami.Transport;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

// The connection loop: connect, log in, keep alive, and reconnect with backoff until stopped.
public sealed partial class AmiClient
{
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
}
