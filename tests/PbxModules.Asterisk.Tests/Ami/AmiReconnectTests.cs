using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Testing.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>Connection loss, restarts, dead peers and refused logins: nothing hangs, everything recovers.</summary>
public sealed class AmiReconnectTests
{
    [Fact]
    public async Task Reconnects_after_a_server_restart_and_subscribers_keep_receiving_with_a_marker()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        await using var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        using var subscriber = client.Subscribe(AmiSubscription.ForEvents("Tick"), "worker", includeConnectionEvents: true);
        Assert.True(AmiConnectionEvents.IsConnectedMarker(await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety)));

        var lost = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        var back = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Connected, e => e.IsReconnect);
        await server.RestartAsync();
        await lost;
        var reconnected = await back;

        Assert.Equal(2, reconnected.ConnectionNumber);
        Assert.Equal(2, server.ReceivedActions.Count(a => a.Name == "Login"));
        await server.WaitForLoggedInClientsAsync(1).WaitAsync(AmiTestSupport.Safety);
        await server.SendEventAsync("Tick");
        var marker = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
        Assert.True(AmiConnectionEvents.IsConnectedMarker(marker));
        Assert.Equal("true", marker["Reconnect"]);
        Assert.Equal("Tick", (await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety)).Name);
        await client.PingAsync();
    }

    [Fact]
    public async Task Pending_actions_fail_promptly_when_the_connection_drops()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        await using var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        // Only this connection hangs: the reconnect after the drop must find a server that answers its Login.
        server.HangOpenConnections();
        var back = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Connected, e => e.IsReconnect);
        // Time-outs far beyond the safety limit: only the drop can end these waits.
        var pending = Enumerable.Range(0, 5)
            .Select(_ => client.SendAsync(new AmiAction("Ping") { Timeout = TimeSpan.FromMinutes(10) }))
            .ToList();
        await server.WaitForActionAsync("Ping", a => server.ReceivedActions.Count(x => x.Name == "Ping") >= 5).WaitAsync(AmiTestSupport.Safety);

        server.DisconnectAll();

        foreach (var task in pending)
            await Assert.ThrowsAsync<AmiNotConnectedException>(() => task.WaitAsync(AmiTestSupport.Safety));
        await back;
        await client.PingAsync();
    }

    [Fact]
    public async Task Actions_while_disconnected_fail_fast_or_wait_by_option()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var options = AmiTestSupport.TcpOptions(server);
        await using var client = await AmiTestSupport.StartClientAsync(options);
        var lost = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        await server.StopAsync();
        await lost;

        var error = await Assert.ThrowsAsync<AmiNotConnectedException>(() => client.PingAsync());
        Assert.Contains("reconnects by itself", error.Message, StringComparison.Ordinal);

        options.WaitForConnection = true;
        var waiting = client.PingAsync();
        await server.StartAsync();
        await waiting.WaitAsync(AmiTestSupport.Safety);
    }

    [Fact]
    public async Task Keepalive_detects_a_hung_peer_and_reconnects()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var options = AmiTestSupport.TcpOptions(server);
        options.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
        options.KeepAliveTimeout = TimeSpan.FromMilliseconds(300);
        var logger = new TestLogger();
        await using var client = await AmiTestSupport.StartClientAsync(options, logger);
        var lost = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        // Subscribed before the hang: the reconnect may complete before this test runs again.
        var back = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Connected, e => e.IsReconnect);

        // Only the current connection hangs. Switching Unresponsive back after the drop would race the
        // reconnect (20 ms backoff): a Login that reached the server first was never answered and waited
        // out the 30 s action time-out.
        server.HangOpenConnections();
        var state = await lost;

        Assert.Contains("keepalive", state.Reason, StringComparison.Ordinal);
        Assert.True(logger.Contains("did not answer the keepalive Ping"), logger.All);
        await back;
        await client.PingAsync();
    }

    [Fact]
    public async Task Refused_login_is_retried_with_backoff_until_the_secret_is_right()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        server.Options.Secret = "changed-on-the-pbx";
        var options = AmiTestSupport.TcpOptions(server);
        var logger = new TestLogger();
        await using var client = new AmiClient(options, logger);
        await client.StartAsync();

        await server.WaitForActionAsync("Login", _ => server.ReceivedActions.Count(a => a.Name == "Login") >= 3).WaitAsync(AmiTestSupport.Safety);
        Assert.False(client.IsConnected);
        Assert.Contains("Authentication failed", client.LastError, StringComparison.Ordinal);

        server.Options.Secret = "admin-secret";
        await client.WaitUntilConnectedAsync().WaitAsync(AmiTestSupport.Safety);
        Assert.True(logger.Contains("login to 127.0.0.1"), logger.All);
        Assert.False(logger.Contains("admin-secret"), logger.All);
        Assert.False(logger.Contains("changed-on-the-pbx"), logger.All);
    }

    [Fact]
    public async Task Not_an_asterisk_peer_is_a_clear_error()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        // The peer holds the connection until the client has judged it: a fixed 5 s hold would close it
        // first on a slow machine, and the client would report a closed connection instead.
        var judged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            await peer.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray());
            await judged.Task;
        });
        var logger = new TestLogger();
        await using var client = new AmiClient(new AmiClientOptions { Port = port, ReconnectMinDelay = TimeSpan.FromSeconds(10), ReconnectMaxDelay = TimeSpan.FromSeconds(10) }, logger);
        var refused = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        await client.StartAsync();

        var state = await refused;
        judged.SetResult();
        await serve.WaitAsync(AmiTestSupport.Safety);

        Assert.Contains("not an Asterisk manager", state.Reason, StringComparison.Ordinal);
        Assert.True(logger.Contains("SSH-2.0"), logger.All);
    }

    [Fact]
    public async Task Stop_logs_off_and_fails_further_actions()
    {
        await using var server = await AmiTestSupport.StartServerAsync();
        var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server));
        await client.StopAsync();

        await server.WaitForActionAsync("Logoff").WaitAsync(AmiTestSupport.Safety);
        Assert.Equal(AmiConnectionState.Stopped, client.State);
        await Assert.ThrowsAsync<AmiNotConnectedException>(() => client.PingAsync());
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Our_own_logoff_is_not_a_lost_connection_no_warning_and_no_reconnect()
    {
        // The Goodbye and the socket closing right after it race the stop itself: repeat so the race is run many times.
        await using var server = await AmiTestSupport.StartServerAsync();
        for (var cycle = 0; cycle < 20; cycle++)
        {
            var logger = new TestLogger();
            var client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(server), logger);
            var states = new System.Collections.Concurrent.ConcurrentQueue<AmiConnectionState>();
            client.StateChanged += (_, e) => states.Enqueue(e.Current);

            await client.StopAsync();
            // Disposing waits until every state change has been raised.
            await client.DisposeAsync();

            Assert.DoesNotContain(logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
            Assert.False(logger.Contains("lost"), logger.All);
            Assert.False(logger.Contains("reconnecting"), logger.All);
            // The Connected of the start may or may not be raised after the handler was added; nothing but Stopped after it.
            Assert.Equal([AmiConnectionState.Stopped], states.SkipWhile(st => st == AmiConnectionState.Connected));
        }

        Assert.Equal(20, server.ReceivedActions.Count(a => a.Name == "Logoff"));
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_and_is_capped()
    {
        var client = new AmiClient(new AmiClientOptions { ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(2) });
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var step = Math.Min(2000, 100 * Math.Pow(2, attempt));
            var delay = client.Backoff(attempt).TotalMilliseconds;
            Assert.InRange(delay, step / 2, step);
        }
    }
}
