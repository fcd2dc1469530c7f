using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Asterisk.Agi.Server;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>
/// <c>Agi:AllowedPeers</c>: only listed networks may open a FastAGI session. Loopback is all a test can
/// connect from, so the socket test allows 127.0.0.2/32 and connects from 127.0.0.1; the matcher and the
/// rate limit of its log line are tested on their own.
/// </summary>
public sealed class AllowedPeersTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_peer_outside_AllowedPeers_is_closed_before_its_environment_is_read_and_logged_once()
    {
        var handled = 0;
        await using var server = await FastAgiTestServer.StartAsync(
            (channel, ct) => { Interlocked.Increment(ref handled); return channel.SetVariableAsync("SEEN", "1", ct); },
            o => o.AllowedPeers = ["127.0.0.2/32"]);

        for (var i = 0; i < 5; i++)
        {
            // Nothing sent at all: a server that waited for the environment would never close.
            using var timeout = new CancellationTokenSource(Deadline);
            Assert.Equal(0, await ConnectAndReadAsync(server.Port, timeout.Token));
        }

        Assert.Equal(0, Volatile.Read(ref handled));
        Assert.Equal(0, server.ConnectionHandler.ActiveSessions);
        var refusals = server.AgiLogLines(LogLevel.Warning).Where(l => l.Message.Contains("not in Agi:AllowedPeers", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(refusals);
        Assert.Contains("127.0.0.1", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_inside_AllowedPeers_is_served()
    {
        await using var server = await FastAgiTestServer.StartAsync(
            (channel, ct) => channel.SetVariableAsync("SEEN", "1", ct),
            o => o.AllowedPeers = ["10.0.0.0/8", "127.0.0.1/32"]);

        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        await call.Completion.WaitAsync(Deadline);
        Assert.Equal("1", call.Variables["SEEN"]);
        Assert.DoesNotContain(server.AgiLogLines(LogLevel.Warning), l => l.Message.Contains("AllowedPeers", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("::ffff:192.0.2.10", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("128.0.0.1", false)]
    public void The_default_allows_loopback_only(string address, bool allowed)
    {
        var filter = new FastAgiPeerFilter(NullLogger(), TimeProvider.System);
        Assert.Equal(allowed, filter.IsAllowed(IPAddress.Parse(address), new FastAgiOptions().AllowedPeers));
    }

    [Fact]
    public void A_refused_peer_is_logged_at_most_once_a_minute_with_the_count_in_between()
    {
        var time = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        var filter = new FastAgiPeerFilter(logs.CreateLogger("t"), time);
        var peer = IPAddress.Parse("192.0.2.7");

        for (var i = 0; i < 50; i++) filter.LogRefused("c", peer);
        Assert.Single(logs.Lines);

        time.Advance(TimeSpan.FromMinutes(1));
        filter.LogRefused("c", peer);
        Assert.Equal(2, logs.Lines.Count);
        Assert.Contains("49 earlier refusal(s)", logs.Lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_refused_addresses_are_remembered_up_to_a_bound_and_the_rest_are_summed_in_one_line()
    {
        var time = new FakeTimeProvider();
        var logs = new CapturingLoggerProvider();
        var filter = new FastAgiPeerFilter(logs.CreateLogger("t"), time);

        var total = FastAgiPeerFilter.MaxTrackedPeers + 500;
        for (var i = 0; i < total; i++)
        {
            var bytes = new byte[16];
            bytes[0] = 0x20;
            bytes[1] = 0x01;
            BitConverter.TryWriteBytes(bytes.AsSpan(12), i);
            filter.LogRefused("c", new IPAddress(bytes));
        }

        // One line per remembered peer, then one summary for the overflow (and no more within the minute).
        Assert.Equal(FastAgiPeerFilter.MaxTrackedPeers + 1, logs.Lines.Count);
        Assert.Contains("more than 1024 peers", logs.Lines[^1].Message, StringComparison.Ordinal);

        // A minute later the old entries make room again.
        time.Advance(TimeSpan.FromMinutes(1));
        filter.LogRefused("c", IPAddress.Parse("198.51.100.1"));
        Assert.Contains("198.51.100.1", logs.Lines[^1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1/8", "host bits")]
    [InlineData("not-an-address", "CIDR")]
    [InlineData("10.0.0.0/33", "CIDR")]
    [InlineData("", "CIDR")]
    public void An_invalid_entry_is_refused_at_start_up_naming_the_key(string entry, string hint)
    {
        var result = new FastAgiOptionsValidator().Validate(null, new FastAgiOptions { AllowedPeers = ["127.0.0.0/8", entry] });
        Assert.True(result.Failed);
        Assert.Contains("Agi:AllowedPeers", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(entry, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(hint, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10", true)]
    [InlineData("192.0.2.10", "192.0.2.11", false)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.200", true)]
    public void Entries_may_be_networks_or_single_addresses(string entry, string address, bool allowed)
    {
        Assert.True(new FastAgiOptionsValidator().Validate(null, new FastAgiOptions { AllowedPeers = [entry] }).Succeeded);
        var filter = new FastAgiPeerFilter(NullLogger(), TimeProvider.System);
        Assert.Equal(allowed, filter.IsAllowed(IPAddress.Parse(address), [entry]));
    }

    [Fact]
    public void An_empty_list_is_refused_at_start_up()
    {
        var result = new FastAgiOptionsValidator().Validate(null, new FastAgiOptions { AllowedPeers = [] });
        Assert.True(result.Failed);
        Assert.Contains("Agi:AllowedPeers is empty", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ILogger NullLogger() => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    // Bytes the server sent before closing (a reset counts as closed with nothing sent).
    private static async Task<int> ConnectAndReadAsync(int port, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return await socket.ReceiveAsync(new byte[64], SocketFlags.None, cancellationToken);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return 0;
        }
    }
}
