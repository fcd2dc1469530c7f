using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace PbxModules.Asterisk.Agi.Server;

/// <summary>
/// Which exceptions mean "the connection to Asterisk is gone", told apart by type. Kestrel completes a
/// connection's input with <see cref="ConnectionAbortedException"/> on an abort (the server stopping) and
/// with <see cref="ConnectionResetException"/> (an <see cref="IOException"/>) on a reset it sees while
/// reading (on loopback a peer's reset mostly reads as a plain close);
/// a transport of another kind may surface the <see cref="SocketException"/> itself or an
/// <see cref="IOException"/> wrapping it; a socket disposed under a pending read or write throws
/// <see cref="ObjectDisposedException"/>. Anything else is a defect, logged as unexpected, even an
/// <see cref="InvalidOperationException"/> from System.IO.Pipelines (a pipe used after it was completed).
/// </summary>
internal static class FastAgiConnectionErrors
{
    /// <summary>True when <paramref name="ex"/> says the connection is gone (not a defect of ours or the transport's).</summary>
    public static bool IsConnectionLost(Exception ex)
        => ex is IOException or SocketException or ConnectionAbortedException or ObjectDisposedException;
}
