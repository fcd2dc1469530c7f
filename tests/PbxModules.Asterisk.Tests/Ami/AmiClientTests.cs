using PbxModules.Asterisk.Ami;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Testing.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>The client against the simulated Asterisk over real loopback TCP.</summary>
public sealed class AmiClientTests : IAsyncLifetime
{
    private SimulatedAmiServer _server = null!;
    private AmiClient _client = null!;
    private readonly TestLogger _logger = new();

    public async Task InitializeAsync()
    {
        _server = await AmiTestSupport.StartServerAsync();
        _client = await AmiTestSupport.StartClientAsync(AmiTestSupport.TcpOptions(_server), _logger);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Logs_in_with_the_md5_challenge_by_default_and_reports_connected()
    {
        Assert.Equal(AmiConnectionState.Connected, _client.State);
        Assert.Equal("Asterisk Call Manager/9.0.0", _client.Server);
        var login = await _server.WaitForActionAsync("Login").WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("MD5", login["AuthType"]);
        Assert.Null(login["Secret"]);
        Assert.NotNull(login["Key"]);
        Assert.False(_logger.Contains("admin-secret"), _logger.All);
    }

    [Fact]
    public async Task Events_of_an_action_that_arrive_before_its_response_are_held_then_delivered_in_order()
    {
        // Over TCP the wire order decides: an event list item and the completion event strictly before the response.
        using var subscriber = _client.Subscribe(AmiSubscription.ForEvents("OriginateResponse", "UserEvent"));
        _server.SetActionHandler("Originate", action =>
        {
            var reply = new SimulatedAmiReply("Success", ("Message", "Originate successfully queued"));
            reply.PrecedingEvents.Add([new("Event", "UserEvent"), new("UserEvent", "first")]);
            reply.PrecedingEvents.Add([new("Event", "OriginateResponse"), new("Response", "Success"), new("Channel", action["Channel"] + "-00000000;1"),
                new("Reason", "4"), new("Uniqueid", "1795389869.0")]);
            reply.PrecedingEvents.Add([new("Event", "UserEvent"), new("UserEvent", "third")]);
            return reply;
        });

        var outcome = await _client.OriginateAsync(new AmiOriginateRequest("Local/100@from-test") { Application = "Wait", Data = "2", Timeout = TimeSpan.FromSeconds(1) })
            .WaitAsync(AmiTestSupport.Safety);

        Assert.True(outcome.IsAnswered);
        Assert.Equal("1795389869.0", outcome.UniqueId);
        List<string> order = [];
        for (var i = 0; i < 3; i++)
        {
            var evt = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
            order.Add(evt["UserEvent"] ?? evt.Name);
        }

        Assert.Equal(["first", "OriginateResponse", "third"], order);
    }

    [Fact]
    public async Task Events_held_for_an_action_whose_response_never_comes_reach_subscribers_when_it_times_out()
    {
        using var subscriber = _client.Subscribe(AmiSubscription.ForEvents("UserEvent"));
        var sent = _server.WaitForActionAsync("Ping", a => a.ActionId is not null && a["Marker"] == "held");
        _server.Unresponsive = true;
        var ping = _client.SendAsync(new AmiAction("Ping") { Timeout = TimeSpan.FromSeconds(1) }.With("Marker", "held"));
        var action = await sent.WaitAsync(AmiTestSupport.Safety);
        await _server.SendEventAsync("UserEvent", ("ActionID", action.ActionId!), ("UserEvent", "orphan"));

        await Assert.ThrowsAsync<TimeoutException>(() => ping.WaitAsync(AmiTestSupport.Safety));

        _server.Unresponsive = false;
        Assert.Equal("orphan", (await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety))["UserEvent"]);
    }

    [Fact]
    public async Task Ping_and_action_ids_are_unique()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _client.PingAsync()));
        var ids = _server.ReceivedActions.Where(a => a.Name == "Ping").Select(a => a.ActionId).ToList();
        Assert.Equal(50, ids.Count);
        Assert.Equal(50, ids.Distinct().Count());
    }

    [Fact]
    public async Task Command_returns_output_lines_and_unknown_command_throws_with_the_output()
    {
        Assert.Equal(["Dialplan reloaded."], await _client.CommandAsync("dialplan reload"));
        _server.SetCommandOutput("sip show peers", "Name/username  Host", "101/101  (Unspecified)", string.Empty, "1 sip peers");
        Assert.Equal(4, (await _client.CommandAsync("sip show peers")).Count);

        var error = await Assert.ThrowsAsync<AmiActionException>(() => _client.CommandAsync("no such cli command"));
        Assert.Contains("No such command 'no such cli command'", error.Message, StringComparison.Ordinal);
        Assert.Equal("Error", error.Response.Response);
    }

    [Fact]
    public async Task Setvar_then_getvar_and_unset_is_empty()
    {
        await _client.SetVarAsync("TESTGLOBAL", "abc 123");
        Assert.Equal("abc 123", await _client.GetVarAsync("TESTGLOBAL"));
        Assert.Equal(string.Empty, await _client.GetVarAsync("NOSUCHVAR"));
        var setvar = await _server.WaitForActionAsync("Setvar").WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("abc 123", setvar["Value"]);
    }

    [Fact]
    public async Task CoreShowChannels_returns_the_list_events_which_subscribers_do_not_get()
    {
        // Login-time events (FullyBooted, SuccessfulAuth) may still be arriving: name what this test looks at.
        using var subscriber = _client.Subscribe(AmiSubscription.ForEvents("CoreShowChannel", "CoreShowChannelsComplete", "Marker"));
        _server.AddChannel("PJSIP/101-00000001", ("CallerIDNum", "101"));
        _server.AddChannel("PJSIP/102-00000002");

        var channels = await _client.CoreShowChannelsAsync();

        Assert.Equal(["PJSIP/101-00000001", "PJSIP/102-00000002"], channels.Select(c => c["Channel"]));
        Assert.All(channels, c => Assert.Equal("CoreShowChannel", c.Name));
        Assert.Equal("101", channels[0]["CallerIDNum"]);
        // A marker event sent after the list proves the list items were not fanned out before it.
        await _server.SendEventAsync("Marker");
        var first = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("Marker", first.Name);
    }

    [Fact]
    public async Task Empty_list_completes_with_its_complete_event()
    {
        var response = await _client.SendAsync(new AmiAction("CoreShowChannels") { ExpectsEventList = true });
        Assert.Empty(response.Events);
        Assert.Equal("CoreShowChannelsComplete", response.Completion!.Name);
        Assert.Equal("0", response.Completion["ListItems"]);
    }

    [Fact]
    public async Task Originate_returns_the_outcome_from_OriginateResponse()
    {
        var answered = await _client.OriginateAsync(new AmiOriginateRequest("Local/100@from-test") { Application = "Wait", Data = "2", CallerId = "\"AMI Test\" <5551234>" });
        Assert.True(answered.IsAnswered);
        Assert.Equal("5551234", answered.Event["CallerIDNum"]);

        _server.OriginateReason = _ => 0;
        var failed = await _client.OriginateAsync(new AmiOriginateRequest("Local/999@no-such-context") { Application = "Wait", Data = "1" });
        Assert.False(failed.IsSuccess);
        Assert.Equal(AmiOriginateReason.Failed, failed.Reason);
        Assert.Equal("<unknown>", failed.UniqueId);

        var sent = await _server.WaitForActionAsync("Originate").WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("true", sent["Async"]);
    }

    [Fact]
    public async Task Hangup_redirect_and_queueadd()
    {
        _server.AddChannel("PJSIP/101-00000001");
        await _client.RedirectAsync("PJSIP/101-00000001", "from-internal", "200");
        await _client.HangupAsync("PJSIP/101-00000001", cause: 16);
        var gone = await Assert.ThrowsAsync<AmiActionException>(() => _client.HangupAsync("PJSIP/101-00000001"));
        Assert.Contains("No such channel", gone.Message, StringComparison.Ordinal);
        await _client.QueueAddAsync("support", "PJSIP/101", memberName: "Alice", penalty: 1);
        var queueAdd = await _server.WaitForActionAsync("QueueAdd").WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("Alice", queueAdd["MemberName"]);
    }

    [Fact]
    public async Task Unknown_action_error_is_returned_not_thrown()
    {
        var response = await _client.SendAsync(new AmiAction("FooBar"));
        Assert.False(response.IsSuccess);
        Assert.StartsWith("Invalid/unknown command: FooBar", response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_reach_subscribers_in_order_filtered_by_name_and_header()
    {
        using var all = _client.Subscribe(AmiSubscription.ForEvents("Hangup", "Newchannel"));
        using var hangups = _client.Subscribe(new AmiSubscription
        {
            EventNames = new HashSet<string>(["hangup"], StringComparer.OrdinalIgnoreCase),
            HeaderFilters = new Dictionary<string, string> { ["Cause"] = "16" },
        });

        for (var i = 0; i < 100; i++)
            await _server.SendEventAsync(i % 2 == 0 ? "Hangup" : "Newchannel", ("Seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Cause", i % 4 == 0 ? "16" : "17"));

        var received = new List<AmiEvent>();
        while (received.Count < 100) received.Add(await all.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received.Select(e => e["Seq"]));

        var filtered = new List<AmiEvent>();
        while (filtered.Count < 25) filtered.Add(await hangups.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety));
        Assert.All(filtered, e => Assert.Equal("16", e["Cause"]));
        Assert.Equal(0, hangups.Stats.Dropped);
    }

    [Fact]
    public async Task Events_interleaved_with_a_list_go_to_subscribers_and_list_items_do_not()
    {
        using var subscriber = _client.Subscribe(AmiSubscription.ForEvents("Newexten", "CoreShowChannel", "CoreShowChannelsComplete"));
        _server.AddChannel("PJSIP/101-00000001");
        _server.SetActionHandler("CoreShowChannels", action =>
        {
            // The reply's events carry the ActionID; interleave an unrelated event via the broadcast right away.
            _ = _server.SendEventAsync("Newexten", ("Channel", "PJSIP/101-00000001"));
            var reply = new SimulatedAmiReply("Success", ("EventList", "start"), ("Message", "Channels will follow"));
            reply.FollowingEvents.Add([new("Event", "CoreShowChannel"), new("Channel", "PJSIP/101-00000001")]);
            reply.FollowingEvents.Add([new("Event", "CoreShowChannelsComplete"), new("EventList", "Complete"), new("ListItems", "1")]);
            return reply;
        });

        var channels = await _client.CoreShowChannelsAsync();

        Assert.Single(channels);
        var evt = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
        Assert.Equal("Newexten", evt.Name);
    }

    [Fact]
    public async Task Malformed_and_oversized_input_is_logged_and_the_connection_keeps_working()
    {
        using var subscriber = _client.Subscribe(AmiSubscription.ForEvents("After"));
        await _server.SendRawAsync("Event: Broken\r\nthis is not a header\r\n\r\n");
        await _server.SendRawAsync($"Event: Huge\r\nData: {new string('z', 5 * 1024 * 1024)}\r\n\r\n");
        await _server.SendEventAsync("After", ("Ok", "yes"));

        var after = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);

        Assert.Equal("yes", after["Ok"]);
        await _client.PingAsync();
        Assert.True(_logger.Contains("malformed line"), _logger.All);
        Assert.True(_logger.Contains("larger than"), _logger.All);
        Assert.Equal(AmiConnectionState.Connected, _client.State);
    }

    [Fact]
    public async Task Connection_marker_comes_first_for_subscribers_that_ask_for_it()
    {
        using var subscriber = _client.Subscribe(AmiSubscription.ForEvents("Hangup"), "worker", includeConnectionEvents: true);
        await _server.SendEventAsync("Hangup");
        var marker = await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety);
        Assert.True(AmiConnectionEvents.IsConnectedMarker(marker));
        Assert.Equal("false", marker["Reconnect"]);
        Assert.Equal("Hangup", (await subscriber.Reader.ReadAsync().AsTask().WaitAsync(AmiTestSupport.Safety)).Name);
    }

    [Fact]
    public async Task Timeout_is_reported_as_TimeoutException_naming_the_action()
    {
        _server.SetActionHandler("Slow", _ => new SimulatedAmiReply("Success"));
        _server.Unresponsive = true;
        var error = await Assert.ThrowsAsync<TimeoutException>(() => _client.SendAsync(new AmiAction("Slow") { Timeout = TimeSpan.FromMilliseconds(200) }));
        Assert.Contains("'Slow'", error.Message, StringComparison.Ordinal);
        _server.Unresponsive = false;
        await _client.PingAsync();
    }
}
