using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PbxModules.Asterisk.Tests.Agi.Support;

/// <summary>
/// Plays back what a real Asterisk sent in a fixture over a real socket: the environment on connect,
/// then the next recorded reply for each command line received. Returns every byte the server sent.
/// </summary>
public static class ReplayAsterisk
{
    public static async Task<byte[]> RunAsync(int port, string fixture)
    {
        var (environment, replies) = Fixtures.Segments(Fixtures.Received(fixture));
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, safety.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(environment), safety.Token);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        var next = 0;
        while (true)
        {
            var n = await stream.ReadAsync(buffer, safety.Token);
            if (n == 0) break;
            for (var i = 0; i < n; i++)
            {
                received.WriteByte(buffer[i]);
                if (buffer[i] != (byte)'\n') continue;
                var reply = next < replies.Count ? replies[next++] : "510 Invalid or unknown command\n";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), safety.Token);
            }
        }
        return received.ToArray();
    }
}
