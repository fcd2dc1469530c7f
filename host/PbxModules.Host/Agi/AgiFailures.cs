using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using PbxModules.Sdk.Agi;

namespace PbxModules.Host.Agi;

/// <summary>Tells what a handler's exception was caused by: Asterisk (or whoever is at the other end of the socket), or the module's own code.</summary>
internal static class AgiFailures
{
    /// <summary>
    /// The exception in <paramref name="exception"/>'s chain (inner and aggregated ones included) that Asterisk
    /// caused: a refused command (<see cref="AgiCommandException"/>: 510, 520, <c>200 result=-1</c>), a dead
    /// channel (<see cref="AgiHangupException"/>: 511, <c>HANGUP</c>, closed connection), a broken protocol
    /// (<see cref="AgiProtocolException"/>), or a lost connection. Null when the module's code failed by itself.
    /// </summary>
    public static Exception? IsAsteriskSide(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        // Bounded: a module cannot make this loop forever with a cyclic or huge exception graph.
        for (var seen = 0; pending.Count > 0 && seen < 64; seen++)
        {
            var ex = pending.Pop();
            if (ex is AgiCommandException or AgiHangupException or AgiProtocolException
                or IOException or SocketException or ConnectionResetException or ConnectionAbortedException)
                return ex;
            if (ex is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            }
            else if (ex.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
        return null;
    }
}
