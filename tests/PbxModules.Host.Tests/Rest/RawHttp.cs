using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace PbxModules.Host.Tests.Rest;

/// <summary>
/// HTTP/1.1 by hand over a loopback socket, for what HttpClient will not do: declare a body and not
/// send it, or send part of a chunked body and wait for the answer.
/// </summary>
internal static class RawHttp
{
    /// <summary>The answer: status code and the body parsed as JSON (null when empty).</summary>
    public sealed record Answer(int Status, string Headers, JsonElement? Body);

    /// <summary>Sends the head of a POST declaring <paramref name="declaredLength"/> bytes and none of them, then reads the answer.</summary>
    public static Task<Answer> DeclareAsync(int port, string path, long declaredLength, string? authorization = null)
        => SendAsync(port, Head(path, $"Content-Length: {declaredLength}", authorization), []);

    /// <summary>Sends a POST with no body at all (neither Content-Length nor chunked), as <c>curl -X POST</c> does, then reads the answer.</summary>
    public static Task<Answer> PostWithoutBodyAsync(int port, string path, string authorization)
        => SendAsync(port, $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {authorization}\r\n\r\n", []);

    /// <summary>
    /// Sends <paramref name="opening"/> and then <paramref name="bytes"/> more of one JSON string that
    /// never ends, as a chunked body (1 KB chunks, no last chunk), then reads the answer. A JSON reader
    /// cannot stop before the string ends, so only the size limit can answer.
    /// </summary>
    /// <param name="contentType">The request's Content-Type (JSON unless said).</param>
    public static Task<Answer> ChunkedAsync(int port, string path, string opening, int bytes, string? authorization = null, string contentType = "application/json")
    {
        var framed = new MemoryStream();
        void Chunk(byte[] data)
        {
            framed.Write(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"));
            framed.Write(data);
            framed.Write("\r\n"u8);
        }
        Chunk(Encoding.ASCII.GetBytes(opening));
        var chunk = Encoding.ASCII.GetBytes(new string('a', 1024));
        for (var sent = 0; sent < bytes; sent += chunk.Length) Chunk(chunk);
        return SendAsync(port, Head(path, "Transfer-Encoding: chunked", authorization, contentType), framed.ToArray());
    }

    private static string Head(string path, string framing, string? authorization, string contentType = "application/json")
        => $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {contentType}\r\n{framing}\r\n"
           + (authorization is null ? "" : $"Authorization: {authorization}\r\n") + "\r\n";

    private static async Task<Answer> SendAsync(int port, string head, byte[] body)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), deadline.Token);
        try
        {
            if (body.Length > 0) await stream.WriteAsync(body, deadline.Token);
        }
        catch (IOException)
        {
            // The server may close before taking all of it; its answer is what counts.
        }

        // The server closes the connection after refusing a body; read until then.
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Complete(received.ToArray())) break;
            }
        }
        catch (IOException) when (received.Length > 0)
        {
        }
        return Parse(received.ToArray());
    }

    // A whole chunked body (ends with the last chunk) or a whole Content-Length body.
    private static bool Complete(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var headers = text[..end];
        if (headers.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)) return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        var length = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));
        return length is not null && data.Length - (Encoding.UTF8.GetByteCount(text[..end]) + 4) >= long.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Answer Parse(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no HTTP answer: '{text}'");
        var headers = text[..end];
        var status = int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var rest = text[(end + 4)..];
        if (headers.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)) rest = Dechunk(rest);
        return new Answer(status, headers, rest.Length == 0 ? null : JsonDocument.Parse(rest).RootElement.Clone());
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (line < 0) break;
            var size = Convert.ToInt32(body[at..line], 16);
            if (size == 0) break;
            result.Append(body, line + 2, size);
            at = line + 2 + size + 2;
        }
        return result.ToString();
    }
}
