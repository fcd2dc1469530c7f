using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;

namespace PbxModules.Sdk.Testing.Ami;

/// <summary>One client connection of the <see cref="SimulatedAmiServer"/>.</summary>
internal sealed class SimulatedAmiSession
{
    private readonly SimulatedAmiServer _server;
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _closed;

    public SimulatedAmiSession(SimulatedAmiServer server, int id, TcpClient client)
    {
        _server = server;
        Id = id;
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
        RemoteAddress = client.Client.RemoteEndPoint?.ToString()?.Replace(':', '/') ?? "unknown";
    }

    public int Id { get; }

    public string RemoteAddress { get; }

    public volatile bool LoggedIn;

    public volatile bool EventsOn = true;

    /// <summary>Set by <see cref="SimulatedAmiServer.HangOpenConnections"/>: this connection answers nothing any more.</summary>
    public volatile bool Hung;

    public string? Challenge { get; set; }

    public async Task RunAsync()
    {
        try
        {
            await TryWriteAsync($"Asterisk Call Manager/{_server.Options.AmiVersion}\r\n").ConfigureAwait(false);
            var reader = PipeReader.Create(_stream);
            var headers = new List<KeyValuePair<string, string>>();
            var raw = new StringBuilder();
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line, out var rawLine))
                {
                    raw.Append(rawLine);
                    if (line.Length == 0)
                    {
                        if (headers.Count == 0)
                        {
                            raw.Clear();
                            continue;
                        }

                        var action = new SimulatedAmiAction(Id, [.. headers], raw.ToString(), DateTimeOffset.UtcNow);
                        headers.Clear();
                        raw.Clear();
                        _server.Record(action);
                        // One action at a time, in order, as Asterisk's session thread does.
                        await _server.HandleAsync(this, action).ConfigureAwait(false);
                        continue;
                    }

                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0) continue;
                    var value = line[(colon + 1)..];
                    if (value.StartsWith(' ')) value = value[1..];
                    headers.Add(new(line[..colon], value));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted) break;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away or the server closed us: the session simply ends.
        }
        finally
        {
            Close();
        }
    }

    public Task ReplyAsync(SimulatedAmiAction action, SimulatedAmiReply reply)
    {
        var sb = new StringBuilder();
        foreach (var evt in reply.PrecedingEvents) AppendEvent(sb, action, evt);
        sb.Append("Response: ").Append(reply.Response).Append("\r\n");
        if (action.ActionId is { } id) sb.Append("ActionID: ").Append(id).Append("\r\n");
        foreach (var (name, value) in reply.Headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        sb.Append("\r\n");
        foreach (var evt in reply.FollowingEvents) AppendEvent(sb, action, evt);
        return WriteThenMaybeCloseAsync(sb.ToString(), reply.CloseAfter);
    }

    private static void AppendEvent(StringBuilder sb, SimulatedAmiAction action, IReadOnlyList<KeyValuePair<string, string>> evt)
    {
        // List items carry the action's ActionID right after Event, as Asterisk 20 writes them.
        sb.Append(evt[0].Key).Append(": ").Append(evt[0].Value).Append("\r\n");
        if (action.ActionId is { } eventId) sb.Append("ActionID: ").Append(eventId).Append("\r\n");
        foreach (var (name, value) in evt.Skip(1)) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        sb.Append("\r\n");
    }

    public async Task<bool> TryWriteAsync(string text)
    {
        if (Volatile.Read(ref _closed) != 0) return false;
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(bytes).ConfigureAwait(false);
                await _stream.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close();
            return false;
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        LoggedIn = false;
        _server.Remove(this);
        try
        {
            _client.Client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        _client.Dispose();
    }

    private async Task WriteThenMaybeCloseAsync(string text, bool close)
    {
        await TryWriteAsync(text).ConfigureAwait(false);
        if (close) Close();
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out string line, out string rawLine)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = rawLine = string.Empty;
            return false;
        }

        var slice = buffer.Slice(0, buffer.GetPosition(1, position.Value));
        rawLine = Encoding.UTF8.GetString(slice);
        line = rawLine.TrimEnd('\n').TrimEnd('\r');
        buffer = buffer.Slice(slice.End);
        return true;
    }
}
