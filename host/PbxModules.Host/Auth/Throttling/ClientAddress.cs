using System.Net;
using System.Net.Sockets;

namespace PbxModules.Host.Auth.Throttling;

/// <summary>
/// The client address throttling keys on: the TCP peer, never <c>X-Forwarded-For</c> (the daemon
/// trusts no proxy, so that header is whatever the client wants it to be). IPv4-mapped IPv6 is
/// IPv4; other IPv6 addresses are grouped by /64, the block one host is usually given.
/// </summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
