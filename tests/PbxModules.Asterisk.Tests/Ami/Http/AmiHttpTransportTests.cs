using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Tests.Ami.Http;

/// <summary>The same client API over Asterisk's HTTP manager (AJAM), against an in-test Kestrel server.</summary>
public sealed class AmiHttpTransportTests : IAsyncLifetime
{
    private readonly FakeAjamServer _server = new();
    private readonly TestLogger _logger = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private AmiClientOptions Options(AmiHttpAuthentication authentication) => new()
    {
        Transport = AmiTransport.Http,
        HttpUrl = _server.BaseUrl,
        HttpAuthentication = authentication,
        Username = "admin",
        Secret = "admin-secret",
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        HttpEventWaitTimeout = TimeSpan.FromSeconds(1),
        ActionTimeout = AmiTestSupport.Safety,
    };

    [Fact]
    public async Task Cookie_session_logs_in_sends_actions_and_keeps_the_secret_out_of_urls()
    {
        await using var client = await AmiTestSupport.StartClientAsync(Options(AmiHttpAuthentication.Cookie), _logger);

        await client.PingAsync();
        Assert.Equal(["Dialplan reloaded."], await client.CommandAsync("dialplan reload"));
        var unknown = await Assert.ThrowsAsync<AmiActionException>(() => client.CommandAsync("no such cli command"));
        Assert.Contains("No such command", unknown.Message, StringComparison.Ordinal);
        var list = await client.SendAsync(new AmiAction("CoreShowChannels") { ExpectsEventList = true });
        Assert.Equal("CoreShowChannelsComplete", list.Completion!.Name);

        Assert.Equal(1, _server.Logins);
        var requests = _server.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("/asterisk/rawman", r.Path));
        Assert.All(requests, r => Assert.DoesNotContain("admin-secret", r.Query, StringComparison.Ordinal));
        // Every request after the login carries the session cookie Asterisk set.
        Assert.All(requests.SkipWhile(r => r.Action != "login").Skip(1), r => Assert.Contains("mansession_id=", r.Cookie, StringComparison.Ordinal));
        Assert.False(_logger.Contains("admin-secret"), _logger.All);
    }

    [Fact]
    public async Task Events_arrive_by_waitevent_and_originate_gets_its_outcome()
    {
        await using var client = await AmiTestSupport.StartClientAsync(Options(AmiHttpAuthentication.Cookie), _logger);
        using var subscriber = client.Subscribe(AmiSubscription.ForEvents("UserEvent"));

        _server.PushEvent(("Event", "UserEvent"), ("Privilege", "user,all"), ("UserEvent", "ModuleHostTest"), ("Foo", "bär"));
        var evt = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("bär", evt["Foo"]);

        var outcome = await client.OriginateAsync(new AmiOriginateRequest("Local/100@from-test") { Application = "Wait", Data = "2" });
        Assert.True(outcome.IsAnswered);
        Assert.Contains(_server.Requests, r => r.Action == "waitevent");
    }

    [Fact]
    public async Task Originate_completes_when_its_event_comes_through_the_poll_before_the_post_reply()
    {
        // The order the test above meets only sometimes, forced every time: the OriginateResponse is
        // parsed from waitevent before the POST's "Originate successfully queued".
        _server.EventsBeforeResponses = true;
        await using var client = await AmiTestSupport.StartClientAsync(Options(AmiHttpAuthentication.Cookie), _logger);
        using var subscriber = client.Subscribe(AmiSubscription.ForEvents("OriginateResponse"));

        var outcome = await client.OriginateAsync(new AmiOriginateRequest("Local/100@from-test") { Application = "Wait", Data = "2", Timeout = TimeSpan.FromSeconds(1) })
            .WaitAsync(AmiTestSupport.Safety);

        Assert.True(outcome.IsAnswered);
        // Held, not lost: subscribers still get the event once the action has its response.
        var seen = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("4", seen["Reason"]);
        Assert.False(subscriber.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Expired_cookie_logs_in_again_and_the_action_succeeds()
    {
        await using var client = await AmiTestSupport.StartClientAsync(Options(AmiHttpAuthentication.Cookie), _logger);
        await client.PingAsync();

        _server.ExpireSessions();
        await client.PingAsync();

        Assert.True(_server.Logins >= 2, $"logins: {_server.Logins}");
        Assert.True(client.IsConnected);
        Assert.True(_logger.Contains("session expired"), _logger.All);
    }

    [Fact]
    public async Task Wrong_cookie_login_is_a_clear_error_without_the_secret()
    {
        var options = Options(AmiHttpAuthentication.Cookie);
        options.Secret = "wrong-secret";
        await using var client = new AmiClient(options, _logger);
        var refused = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        await client.StartAsync();

        var state = await refused;

        Assert.Contains("Authentication failed", state.Reason, StringComparison.Ordinal);
        Assert.False(_logger.Contains("wrong-secret"), _logger.All);
    }

    [Fact]
    public async Task Digest_authenticates_every_request_on_arawman()
    {
        await using var client = await AmiTestSupport.StartClientAsync(Options(AmiHttpAuthentication.Digest), _logger);
        using var subscriber = client.Subscribe(AmiSubscription.ForEvents("Hangup"));

        await client.PingAsync();
        _server.PushEvent(("Event", "Hangup"), ("Channel", "PJSIP/101-00000001"), ("Cause", "16"));
        Assert.Equal("16", (await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety))["Cause"]);

        var requests = _server.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("/asterisk/arawman", r.Path));
        Assert.DoesNotContain(requests, r => r.Action == "login");
        Assert.Contains(requests, r => r.Authorization.StartsWith("Digest ", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.Authorization.StartsWith("Basic", StringComparison.OrdinalIgnoreCase));
        Assert.All(requests, r => Assert.DoesNotContain("admin-secret", r.Authorization + r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Digest_with_a_wrong_secret_is_refused_clearly()
    {
        var options = Options(AmiHttpAuthentication.Digest);
        options.Secret = "wrong";
        await using var client = new AmiClient(options, _logger);
        var refused = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        await client.StartAsync();

        var state = await refused;

        Assert.Contains("401", state.Reason, StringComparison.Ordinal);
        Assert.True(_logger.Contains("refused"), _logger.All);
    }

    [Fact]
    public async Task Wrong_url_reports_the_http_status()
    {
        var options = Options(AmiHttpAuthentication.Cookie);
        options.HttpUrl = new Uri(_server.BaseUrl, "/nosuchpath/");
        await using var client = new AmiClient(options, _logger);
        var failed = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
        await client.StartAsync();

        var state = await failed;

        Assert.Contains("HTTP 404", state.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_logs_off_without_a_warning_a_reconnect_or_a_new_login()
    {
        // The handler goes on before the start: state changes are raised asynchronously, so one attached
        // after the connect could still see the start's Connecting/Connected, or not (it failed in CI).
        var client = new AmiClient(Options(AmiHttpAuthentication.Cookie), _logger);
        var states = new System.Collections.Concurrent.ConcurrentQueue<AmiConnectionState>();
        client.StateChanged += (_, e) => states.Enqueue(e.Current);
        await client.StartAsync();
        await client.WaitUntilConnectedAsync().WaitAsync(AmiTestSupport.Safety);

        await client.StopAsync();
        await client.DisposeAsync();

        Assert.Contains(_server.Requests, r => string.Equals(r.Action, "Logoff", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, _server.Logins);
        Assert.DoesNotContain(_logger.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.False(_logger.Contains("session expired"), _logger.All);
        // DisposeAsync waited for the notifier, so every change has been raised: one connection, then the stop.
        Assert.Equal([AmiConnectionState.Stopped], states.SkipWhile(st => st != AmiConnectionState.Connected).Skip(1));
        Assert.Single(states, st => st == AmiConnectionState.Connected);
    }

    [Fact]
    public async Task Server_going_away_disconnects_and_fails_fast()
    {
        var client = await AmiTestSupport.StartClientAsync(Options(AmiHttpAuthentication.Cookie), _logger);
        await using (client)
        {
            var lost = AmiTestSupport.NextStateAsync(client, AmiConnectionState.Disconnected);
            await _server.DisposeAsync();
            await lost;
            await Assert.ThrowsAsync<AmiNotConnectedException>(() => client.PingAsync());
        }
    }
}
