using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>
/// A standing load of hostile FastAGI peers (docs/RELIABILITY.md, "FastAGI: thousands of abusive sessions"):
/// thousands of sessions that reset mid-environment and mid-command, send garbage, oversize lines,
/// 10 000-line environments, garbage replies, hold an environment open (slowloris) or hit a handler that
/// throws, 32 at a time. Afterwards no session is left in the server, no connection is left open in the
/// OS for its port, each misbehaviour cost at most one log line, and a normal call is answered at once.
/// </summary>
public sealed class AbusiveSessionsTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    private enum Abuse { ResetInEnvironment, ResetInCommand, Garbage, OversizeLine, HugeEnvironment, GarbageReply, HandlerThrows }

    // Sessions of each kind per run; slowloris peers come on top, all open at once.
    private static readonly Dictionary<Abuse, int> Counts = new()
    {
        [Abuse.ResetInEnvironment] = 400,
        [Abuse.ResetInCommand] = 400,
        [Abuse.Garbage] = 400,
        [Abuse.OversizeLine] = 200,
        [Abuse.HugeEnvironment] = 50,
        [Abuse.GarbageReply] = 400,
        [Abuse.HandlerThrows] = 400,
    };

    /// <summary>Slowloris peers, all connected at the same time.</summary>
    public const int Slowloris = 200;

    /// <summary>Abusive sessions per run.</summary>
    public static int Total => Counts.Values.Sum() + Slowloris;

    [Fact]
    public async Task Thousands_of_abusive_sessions_leave_no_session_or_socket_and_a_normal_call_answers()
    {
        var time = new FakeTimeProvider();
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            switch (channel.Request.Path)
            {
                case "throw":
                    throw new InvalidOperationException("module bug");
                case "command":
                    await channel.GetVariableAsync("CALLERID(num)", token);
                    break;
                default:
                    var number = await channel.GetVariableAsync("CALLERID(num)", token);
                    await channel.SetVariableAsync("SEEN", number ?? "", token);
                    break;
            }
        }, host: b => b.Services.AddSingleton<TimeProvider>(time));
        var port = server.Port;

        var work = Counts.SelectMany(c => Enumerable.Repeat(c.Key, c.Value)).ToArray();
        Random.Shared.Shuffle(work);
        using var gate = new SemaphoreSlim(32);
        using var safety = new CancellationTokenSource(Safety);
        await Task.WhenAll(work.Select(async abuse =>
        {
            await gate.WaitAsync(safety.Token);
            try
            {
                await AbuseAsync(port, abuse, safety.Token);
            }
            finally
            {
                gate.Release();
            }
        }));

        // Slowloris: environments that never end hold their sessions until Agi:EnvironmentTimeout passes
        // (on the server's clock, which the test moves); then the server closes every one of them.
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < Slowloris; i++)
            {
                var client = new TcpClient();
                held.Add(client);
                await client.ConnectAsync(IPAddress.Loopback, port, safety.Token);
                await client.GetStream().WriteAsync("agi_network: yes\nagi_netw"u8.ToArray(), safety.Token);
            }
            await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == Slowloris, safety.Token);
            time.Advance(TimeSpan.FromSeconds(11));
            await Task.WhenAll(held.Select(c => ReadUntilClosedAsync(c.GetStream(), safety.Token)));
        }
        finally
        {
            foreach (var c in held) c.Dispose();
        }

        // Nothing left: no session in the server, no connection of its port open in the OS (TIME_WAIT
        // is the kernel's own bookkeeping after a close, not an open socket).
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, safety.Token);
        await Poll.UntilAsync(() => OpenConnections(port).Count == 0, safety.Token);
        Assert.Empty(OpenConnections(port));

        // Each misbehaviour cost at most one line, and only the module's own bug is an error.
        var lines = server.AgiLogLines();
        Assert.True(lines.Count <= Total, $"{lines.Count} log lines for {Total} abusive sessions");
        Assert.Equal(Counts[Abuse.HandlerThrows], server.Errors().Count);
        Assert.All(server.Errors(), e => Assert.Equal("module bug", e.Exception?.Message));

        // And a normal call is served at once, costing no line.
        await using var call = await SimulatedAgiCall.ConnectAsync(port, new SimulatedAgiCallOptions { Script = "ok", CallerId = "0912345678" });
        await call.Completion.WaitAsync(safety.Token);
        Assert.Equal("0912345678", call.Variables["SEEN"]);
        Assert.Equal(lines.Count, server.AgiLogLines().Count);
    }

    private static byte[] Environment(string script, int extraLines = 0)
    {
        var sb = new StringBuilder();
        sb.Append("agi_network: yes\n").Append("agi_network_script: ").Append(script).Append('\n');
        sb.Append("agi_request: agi://127.0.0.1/").Append(script).Append('\n');
        sb.Append("agi_channel: PJSIP/abuse-00000001\nagi_callerid: 100\n");
        for (var i = 0; i < extraLines; i++) sb.Append("agi_arg_").Append(i).Append(": x\n");
        return Encoding.UTF8.GetBytes(sb.Append('\n').ToString());
    }

    private static async Task AbuseAsync(int port, Abuse abuse, CancellationToken cancellationToken)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        try
        {
            switch (abuse)
            {
                case Abuse.ResetInEnvironment:
                    await stream.WriteAsync(Environment("ok").AsMemory(0, 30), cancellationToken);
                    Reset(client);
                    return;
                case Abuse.ResetInCommand:
                    await stream.WriteAsync(Environment("command"), cancellationToken);
                    await ReadLineAsync(stream, cancellationToken);
                    Reset(client);
                    return;
                case Abuse.Garbage:
                    var garbage = new byte[64];
                    Random.Shared.NextBytes(garbage);
                    garbage[0] = 1; // never a valid first line
                    garbage[^1] = (byte)'\n';
                    await stream.WriteAsync(garbage, cancellationToken);
                    break;
                case Abuse.OversizeLine:
                    await stream.WriteAsync(Encoding.UTF8.GetBytes("agi_network_script: " + new string('x', 20_000) + "\n\n"), cancellationToken);
                    break;
                case Abuse.HugeEnvironment:
                    await stream.WriteAsync(Environment("ok", extraLines: 10_000), cancellationToken);
                    break;
                case Abuse.GarbageReply:
                    await stream.WriteAsync(Environment("ok"), cancellationToken);
                    await ReadLineAsync(stream, cancellationToken);
                    await stream.WriteAsync("HTTP/1.1 400 Bad Request\n"u8.ToArray(), cancellationToken);
                    break;
                case Abuse.HandlerThrows:
                    await stream.WriteAsync(Environment("throw"), cancellationToken);
                    break;
            }
        }
        catch (IOException)
        {
            // The server may close (or reset) before everything was written: that is its answer.
        }
        await ReadUntilClosedAsync(stream, cancellationToken);
    }

    // An abortive close (RST), as a crashing peer or a dropped route gives.
    private static void Reset(TcpClient client)
    {
        client.Client.LingerState = new LingerOption(true, 0);
        client.Close();
    }

    private static async Task ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != (byte)'\n')
        {
        }
    }

    // The server ends every one of these sessions itself: the read sees the close (or a reset).
    private static async Task ReadUntilClosedAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }

    private static List<TcpConnectionInformation> OpenConnections(int port)
        => [.. IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
            .Where(c => (c.LocalEndPoint.Port == port || c.RemoteEndPoint.Port == port) && c.State is not TcpState.TimeWait)];
}
