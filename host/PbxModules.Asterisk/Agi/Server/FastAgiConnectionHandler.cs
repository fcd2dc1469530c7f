using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;

namespace PbxModules.Asterisk.Agi.Server;

/// <summary>
/// The FastAGI server as a Kestrel connection handler: reads the environment, hands the session to the
/// <see cref="IAgiSessionHandler"/>, and closes the connection when it returns. Mount it with
/// <see cref="FastAgiListenOptionsExtensions.UseFastAgi"/>. Nothing a client does makes it throw.
/// </summary>
public sealed class FastAgiConnectionHandler : ConnectionHandler
{
    private readonly IAgiSessionHandler _sessions;
    private readonly IOptionsMonitor<FastAgiOptions> _options;
    private readonly ILogger<FastAgiConnectionHandler> _logger;
    private readonly TimeProvider _time;
    private readonly FastAgiPeerFilter _peers;
    private int _active;

    /// <summary>Creates the handler; Kestrel resolves it from the application's services.</summary>
    public FastAgiConnectionHandler(
        IAgiSessionHandler sessions, IOptionsMonitor<FastAgiOptions> options, ILogger<FastAgiConnectionHandler> logger, TimeProvider time)
    {
        _sessions = sessions;
        _options = options;
        _logger = logger;
        _time = time;
        _peers = new FastAgiPeerFilter(logger, time);
    }

    /// <summary>Sessions running now (connections being served, environment read or not).</summary>
    public int ActiveSessions => Volatile.Read(ref _active);

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var options = _options.CurrentValue;
        // Before anything is read or counted: a peer that is not one of ours gets nothing, not even a session slot.
        if (connection.RemoteEndPoint is IPEndPoint peer && !_peers.IsAllowed(peer.Address, options.AllowedPeers))
        {
            _peers.LogRefused(connection.ConnectionId, peer.Address);
            connection.Abort(new ConnectionAbortedException("The peer is not in Agi:AllowedPeers."));
            return;
        }
        var remote = connection.RemoteEndPoint?.ToString();
        if (Interlocked.Increment(ref _active) > options.MaxConcurrentSessions)
        {
            Interlocked.Decrement(ref _active);
            FastAgiLog.TooManySessions(_logger, connection.ConnectionId, remote, options.MaxConcurrentSessions);
            return;
        }
        try
        {
            await RunSessionAsync(connection, options, remote).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Last line of defence: Kestrel would log an escaping exception as its own error.
            FastAgiLog.Unexpected(_logger, connection.ConnectionId, remote, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task RunSessionAsync(ConnectionContext connection, FastAgiOptions options, string? remote)
    {
        var session = new FastAgiSession(connection.Transport, options, _logger, _time, connection.ConnectionId, remote, connection.ConnectionClosed);
        await using (session.ConfigureAwait(false))
        {
            if (!await session.ReadRequestAsync().ConfigureAwait(false)) return;
            var request = session.Request;
            FastAgiLog.SessionStarted(_logger, connection.ConnectionId, request.Script, request.Channel);

            var reader = session.RunAsync();
            var outcome = "handler returned";
            // The session cancels its hang-up token when the connection closes, so that is covered too.
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(session.HangupToken);
            if (options.MaxSessionDuration != Timeout.InfiniteTimeSpan) cts.CancelAfter(options.MaxSessionDuration);
            try
            {
                await _sessions.HandleAsync(session, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (session.IsHungUp || cts.IsCancellationRequested)
            {
                // A hang-up or a cancelled token ending the handler is how calls normally end.
                outcome = "ended by hang-up or cancellation";
            }
            catch (Exception ex) when (session.ProblemLogged)
            {
                // The peer's misbehaviour was logged already; the handler only felt its consequence.
                outcome = "handler failed after the connection failed: " + ex.GetType().Name;
            }
            catch (Exception ex)
            {
                FastAgiLog.HandlerFailed(_logger, connection.ConnectionId, request.Script, ex);
                outcome = "handler failed";
            }
            finally
            {
                await session.StopAsync(reader).ConfigureAwait(false);
            }
            FastAgiLog.SessionEnded(_logger, connection.ConnectionId, outcome);
        }
    }
}
