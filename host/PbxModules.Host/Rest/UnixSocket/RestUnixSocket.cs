using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.Rest.UnixSocket;

/// <summary>
/// The REST API's Unix socket (<see cref="RestOptions.UnixSocket"/>): where it is, binding it, and
/// telling a request that came over it. The local <c>pbx-modules</c> CLI talks to the daemon there;
/// its callers are trusted as administrators, so who may connect is decided by the file system: the
/// data folder's own permissions first, then the socket's mode (0660, owner and group).
/// </summary>
public static class RestUnixSocket
{
    /// <summary>The socket's file name under <c>Paths:Data</c> when <see cref="RestOptions.UnixSocket"/> is not set.</summary>
    public const string DefaultFileName = "pbx-modules.sock";

    /// <summary>Owner and group may connect (connecting to a Unix socket needs write permission); nobody else.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    // sun_path holds 108 bytes on Linux, 104 on macOS, the terminating NUL included.
    private const int MaxPathBytes = 103;

    /// <summary>The socket's absolute path, or null when it is disabled (an empty <see cref="RestOptions.UnixSocket"/>, or Windows).</summary>
    public static string? PathOf(RestOptions rest, PathsOptions paths)
    {
        if (OperatingSystem.IsWindows()) return null;
        if (rest.UnixSocket is null) return Path.Combine(paths.DataFullPath, DefaultFileName);
        return rest.UnixSocket.Length == 0 ? null : PathsOptions.Resolve(rest.UnixSocket);
    }

    /// <summary>
    /// Makes Kestrel listen on the socket: removes a stale socket file a killed daemon left (never a
    /// live one, nor anything that is not a socket), creates its folder if needed, then binds.
    /// </summary>
    /// <exception cref="InvalidOperationException">The path is too long, holds something else, or another process listens on it.</exception>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void Listen(KestrelServerOptions kestrel, string path)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            throw new InvalidOperationException($"Rest:UnixSocket '{path}' is longer than the {MaxPathBytes} bytes a Unix socket path may have; set Rest:UnixSocket to a shorter path, or to an empty string to listen on no socket.");
        RemoveStale(path);
        var folder = Path.GetDirectoryName(path)!;
        // A folder made here is the owner's alone, as the data folder is; an existing one keeps its mode.
        if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        kestrel.ListenUnixSocket(path);
    }

    /// <summary>True when <paramref name="context"/> came over a Unix socket: what the connection is, never a header.</summary>
    public static bool IsUnixSocket(HttpContext context)
        => context.Features.Get<IConnectionEndPointFeature>()?.LocalEndPoint is UnixDomainSocketEndPoint
            // Kestrel's socket transport exposes the accepted socket itself rather than the endpoint feature.
            || context.Features.Get<IConnectionSocketFeature>()?.Socket.AddressFamily == AddressFamily.Unix;

    private static void RemoveStale(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && !info.Exists && !Directory.Exists(path)) return;
        // .NET tells no socket from another file; a socket is an empty, non-directory entry that is no
        // link. Anything else there is somebody's file, never removed.
        if (info.LinkTarget is not null || !info.Exists || info.Length != 0)
            throw new InvalidOperationException($"Rest:UnixSocket '{path}' exists and is not a socket; move it away, or set Rest:UnixSocket to another path.");
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException)
            {
                // Nobody answers: the socket of a daemon that was killed (or an empty file). Bind needs the path free.
                File.Delete(path);
                return;
            }
        }
        throw new InvalidOperationException($"Another process listens on Rest:UnixSocket '{path}' (is pbx-modules already running?); stop it, or set Rest:UnixSocket to another path.");
    }
}
