using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>A client that sends garbage, stalls or disconnects costs one log line and nothing else.</summary>
public class MisbehavingClientTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static async Task<string> SendRawAndWaitForCloseAsync(int port, byte[] bytes, bool halfClose = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(bytes);
        if (halfClose) client.Client.Shutdown(SocketShutdown.Send);
        using var safety = new CancellationTokenSource(Safety);
        var received = new MemoryStream();
        var buffer = new byte[1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, safety.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    public static TheoryData<string, string> Garbage() => new()
    {
        { "http", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" },
        { "binary", "\u0001\u0002\u0003\n" },
        { "no colon", "agi_network yes\n\n" },
        { "reply instead of env", "200 result=1\n" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_instead_of_an_environment_costs_one_warning(string _, string garbage)
    {
        var called = false;
        await using var server = await FastAgiTestServer.StartAsync((_, _) => { called = true; return Task.CompletedTask; });

        var reply = await SendRawAndWaitForCloseAsync(server.Port, Encoding.UTF8.GetBytes(garbage));

        Assert.Equal(string.Empty, reply);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        var line = Assert.Single(server.AgiLogLines());
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("protocol error", line.Message);
        Assert.False(called);
        Assert.Empty(server.Errors());
    }

    [Fact]
    public async Task An_oversized_environment_line_costs_one_warning()
    {
        await using var server = await FastAgiTestServer.StartAsync((_, _) => Task.CompletedTask, o => o.MaxLineLength = 1024);
        // No newline at all: the server must give up without waiting for one.
        var bytes = Encoding.ASCII.GetBytes("agi_network: yes\nagi_callerid: " + new string('9', 100_000));
        await SendRawAndWaitForCloseAsync(server.Port, bytes);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        var line = Assert.Single(server.AgiLogLines());
        Assert.Contains("MaxLineLength", line.Message);
        Assert.Empty(server.Errors());
    }

    [Fact]
    public async Task Too_many_environment_lines_cost_one_warning()
    {
        await using var server = await FastAgiTestServer.StartAsync((_, _) => Task.CompletedTask, o => o.MaxEnvironmentVariables = 40);
        var env = string.Concat(Enumerable.Range(1, 41).Select(i => $"agi_arg_{i}: x\n")) + "\n";
        await SendRawAndWaitForCloseAsync(server.Port, Encoding.ASCII.GetBytes(env));
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Contains("MaxEnvironmentVariables", Assert.Single(server.AgiLogLines()).Message);
    }

    [Fact]
    public async Task A_client_that_closes_mid_environment_costs_one_line()
    {
        await using var server = await FastAgiTestServer.StartAsync((_, _) => Task.CompletedTask);
        await SendRawAndWaitForCloseAsync(server.Port, Encoding.ASCII.GetBytes("agi_network: yes\nagi_chan"), halfClose: true);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Contains("before the AGI environment was complete", Assert.Single(server.AgiLogLines()).Message);
    }

    [Fact]
    public async Task A_client_that_never_sends_its_environment_is_dropped()
    {
        await using var server = await FastAgiTestServer.StartAsync((_, _) => Task.CompletedTask, o => o.EnvironmentTimeout = TimeSpan.FromMilliseconds(200));
        var reply = await SendRawAndWaitForCloseAsync(server.Port, Encoding.ASCII.GetBytes("agi_network: yes\n"));
        Assert.Equal(string.Empty, reply);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Contains("no complete AGI environment", Assert.Single(server.AgiLogLines()).Message);
    }

    [Fact]
    public async Task A_peer_that_stops_answering_fails_the_command_and_costs_one_line()
    {
        var outcome = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            try
            {
                await channel.StreamFileAsync("long-prompt", cancellationToken: token);
            }
            catch (Exception ex)
            {
                outcome.SetResult(ex);
                throw;
            }
        }, o => o.IdleTimeout = TimeSpan.FromMilliseconds(200));
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port, new SimulatedAgiCallOptions().Reply("STREAM FILE", SimulatedAgiReply.NoAnswer));

        var ex = await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);

        Assert.IsType<TimeoutException>(ex);
        Assert.Contains("STREAM FILE long-prompt", ex.Message);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Contains("no reply to 'STREAM FILE long-prompt \"\"'", Assert.Single(server.AgiLogLines()).Message);
        Assert.Empty(server.Errors());
    }

    [Fact]
    public async Task Garbage_instead_of_a_reply_fails_the_command_and_costs_one_line()
    {
        var outcome = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            var ex = await Assert.ThrowsAsync<AgiProtocolException>(() => channel.GetVariableAsync("X", token));
            var next = await Assert.ThrowsAsync<AgiHangupException>(() => channel.NoopAsync(token));
            outcome.SetResult(next);
            throw ex;
        });
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port, new SimulatedAgiCallOptions().Reply("GET VARIABLE", "you have been hacked"));

        var next = await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);

        Assert.Contains("Asterisk broke the AGI protocol", next.Message);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Contains("protocol error", Assert.Single(server.AgiLogLines()).Message);
        Assert.Empty(server.Errors());
    }

    [Fact]
    public async Task An_oversized_reply_line_fails_the_command_and_costs_one_line()
    {
        var outcome = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            outcome.SetResult(await Assert.ThrowsAsync<AgiProtocolException>(() => channel.GetVariableAsync("HUGE", token)));
        }, o => o.MaxLineLength = 1024);
        var options = new SimulatedAgiCallOptions();
        options.ChannelVariables["HUGE"] = new string('x', 5000);
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port, options);

        Assert.Contains("MaxLineLength", (await outcome.Task.WaitAsync(Safety)).Message);
        await call.Completion.WaitAsync(Safety);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Single(server.AgiLogLines());
    }

    [Fact]
    public async Task A_reply_nobody_asked_for_is_a_protocol_error()
    {
        var token = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                token.SetResult(channel.IsHungUp);
            }
        });
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        await call.SendRawAsync("200 result=1\n");
        Assert.True(await token.Task.WaitAsync(Safety));
        await call.Completion.WaitAsync(Safety);
        Assert.Contains("no command was waiting", Assert.Single(server.AgiLogLines()).Message);
    }

    [Fact]
    public async Task A_handler_that_throws_is_logged_once_and_the_server_goes_on()
    {
        var calls = 0;
        await using var server = await FastAgiTestServer.StartAsync((_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("module bug");
            return Task.CompletedTask;
        });
        await using (var first = await SimulatedAgiCall.ConnectAsync(server.Port)) await first.Completion.WaitAsync(Safety);
        await using (var second = await SimulatedAgiCall.ConnectAsync(server.Port)) await second.Completion.WaitAsync(Safety);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        var error = Assert.Single(server.Errors());
        Assert.Equal("module bug", error.Exception?.Message);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Sessions_beyond_the_limit_are_refused_with_one_line_each()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        await using var server = await FastAgiTestServer.StartAsync(async (_, _) =>
        {
            Interlocked.Increment(ref started);
            await release.Task;
        }, o => o.MaxConcurrentSessions = 2);
        await using var a = await SimulatedAgiCall.ConnectAsync(server.Port);
        await using var b = await SimulatedAgiCall.ConnectAsync(server.Port);
        await Poll.UntilAsync(() => Volatile.Read(ref started) == 2, Safety);

        await using var refused = await SimulatedAgiCall.ConnectAsync(server.Port);
        await refused.Completion.WaitAsync(Safety);

        Assert.Empty(refused.Commands);
        Assert.Contains("2 sessions already running", Assert.Single(server.AgiLogLines()).Message);
        release.SetResult();
        await a.Completion.WaitAsync(Safety);
        await b.Completion.WaitAsync(Safety);
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        await using var after = await SimulatedAgiCall.ConnectAsync(server.Port);
        await after.Completion.WaitAsync(Safety);
        Assert.Equal(3, started);
    }

    [Fact]
    public async Task Many_concurrent_sessions_each_get_their_own_answers()
    {
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            var number = await channel.GetVariableAsync("CALLERID(num)", token);
            await channel.SetVariableAsync("SEEN", number + "/" + channel.Request.Arguments[0], token);
        });
        var calls = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            SimulatedAgiCall.ConnectAsync(server.Port, new SimulatedAgiCallOptions { CallerId = "100" + i, Arguments = [i.ToString()] })));
        await Task.WhenAll(calls.Select(c => c.Completion)).WaitAsync(Safety);
        for (var i = 0; i < calls.Length; i++) Assert.Equal($"100{i}/{i}", calls[i].Variables["SEEN"]);
        foreach (var c in calls) await c.DisposeAsync();
        Assert.Empty(server.AgiLogLines());
    }

    [Fact]
    public async Task The_raw_command_refuses_line_breaks()
    {
        var outcome = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, _) =>
            outcome.SetResult(await Assert.ThrowsAsync<ArgumentException>(() => channel.SendCommandAsync("NOOP\nEXEC System reboot").AsTask())));
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);
        Assert.Empty(call.Commands);
    }

    [Fact]
    public async Task A_value_cannot_inject_a_second_command_end_to_end()
    {
        const string attack = "x\" \"y\nEXEC System reboot";
        var outcome = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            outcome.SetResult(await Assert.ThrowsAsync<ArgumentException>(() => channel.SetVariableAsync("V", attack, token)));
            await channel.SetVariableAsync("V", attack.Replace("\n", " "), token);
        });
        await using var call = await SimulatedAgiCall.ConnectAsync(server.Port);
        await outcome.Task.WaitAsync(Safety);
        await call.Completion.WaitAsync(Safety);
        var only = Assert.Single(call.Commands);
        Assert.Equal("SET VARIABLE", only.Name);
        Assert.Equal(["V", "x\" \"y EXEC System reboot"], only.Arguments);
        Assert.Equal("x\" \"y EXEC System reboot", call.Variables["V"]);
    }
}
