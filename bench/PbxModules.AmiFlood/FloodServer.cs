using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PbxModules.AmiFlood;

/// <summary>
/// A loopback AMI server for one client at a time: the Asterisk 20 banner, a <c>Success</c> answer
/// (with the action's <c>ActionID</c>) to every action, and after the <c>Login</c>'s answer the flood,
/// written at the rate given (0: as fast as the socket takes it) while it keeps answering actions.
/// </summary>
internal sealed class FloodServer : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly FloodEvents _events;
    private readonly int _eventsPerSecond;
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _serving;

    public FloodServer(FloodEvents events, int eventsPerSecond = 0)
    {
        _events = events;
        _eventsPerSecond = eventsPerSecond;
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes once every flood byte was handed to the socket.</summary>
    public Task Written => _written.Task;

    private async Task ServeAsync()
    {
        try
        {
            using var socket = await _listener.AcceptSocketAsync();
            socket.NoDelay = true;
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var sendLock = new SemaphoreSlim(1, 1);
            await stream.WriteAsync("Asterisk Call Manager/9.0.0\r\n"u8.ToArray());
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            Task? flood = null;
            var action = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length > 0)
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0) action[line[..colon]] = line[(colon + 1)..].Trim();
                    continue;
                }

                if (action.Count == 0) continue;
                var name = action.GetValueOrDefault("Action", "");
                var answer = name.Equals("Login", StringComparison.OrdinalIgnoreCase) ? "Authentication accepted"
                    : name.Equals("Logoff", StringComparison.OrdinalIgnoreCase) ? "Thanks for all the fish." : "Success";
                var response = $"Response: {(name.Equals("Logoff", StringComparison.OrdinalIgnoreCase) ? "Goodbye" : "Success")}\r\n"
                    + (action.TryGetValue("ActionID", out var id) ? $"ActionID: {id}\r\n" : "")
                    + $"Message: {answer}\r\n\r\n";
                await sendLock.WaitAsync();
                try
                {
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(response));
                }
                finally
                {
                    sendLock.Release();
                }

                if (name.Equals("Login", StringComparison.OrdinalIgnoreCase) && flood is null)
                    flood = Task.Run(() => FloodAsync(stream, sendLock));
                if (name.Equals("Logoff", StringComparison.OrdinalIgnoreCase)) break;
                action.Clear();
            }

            if (flood is not null) await flood;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away: the run is over.
        }
        finally
        {
            _written.TrySetResult();
        }
    }

    private async Task FloodAsync(NetworkStream stream, SemaphoreSlim sendLock)
    {
        var bytes = _events.Bytes;
        var bytesPerEvent = (double)bytes.Length / _events.Count;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = Math.Min(Chunk, bytes.Length - offset);
            if (_eventsPerSecond > 0)
            {
                // Paced: never ahead of the offered rate (whole frames or not, the bytes average out).
                var due = TimeSpan.FromSeconds(offset / bytesPerEvent / _eventsPerSecond);
                var ahead = due - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (ahead > TimeSpan.Zero) await Task.Delay(ahead);
                length = Math.Min(length, Math.Max(1, (int)(bytesPerEvent * _eventsPerSecond / 100)));
            }

            await sendLock.WaitAsync();
            try
            {
                await stream.WriteAsync(bytes.AsMemory(offset, length));
            }
            finally
            {
                sendLock.Release();
            }

            offset += length;
        }

        _written.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A client that never logged off: nothing left to wait for.
        }
    }
}
