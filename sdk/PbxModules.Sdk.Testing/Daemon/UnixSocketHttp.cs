using System.Net.Sockets;

namespace PbxModules.Sdk.Testing.Daemon;

/// <summary>
/// HTTP over the daemon's Unix socket (<c>Rest:UnixSocket</c>, by default <c>&lt;Paths:Data&gt;/pbx-modules.sock</c>),
/// where callers are local administrators: what the <c>pbx-modules</c> CLI uses, and tests that act as it.
/// </summary>
public static class UnixSocketHttp
{
    /// <summary>A handler whose every connection goes to the socket at <paramref name="path"/>; the request URI's host is not used (give the client <c>http://localhost</c>).</summary>
    public static SocketsHttpHandler CreateHandler(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var endPoint = new UnixDomainSocketEndPoint(path);
        return new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    /// <summary>A client without credentials of the socket at <paramref name="path"/>.</summary>
    public static HttpClient CreateClient(string path) => new(CreateHandler(path)) { BaseAddress = new Uri("http://localhost") };
}
