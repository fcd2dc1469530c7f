using System.Net;
using System.Net.Sockets;

namespace PbxModules.Host.Dialplan;

/// <summary>Works out the FastAGI URL that dialplan hooks call, from the listener's address and port.</summary>
public static class AgiDialplanAddress
{
    /// <summary>What Asterisk dials when the daemon listens on every interface: it runs on the same machine by default.</summary>
    public const string WildcardFallback = "127.0.0.1";

    /// <summary>True for a listen address that means "every interface" (<c>*</c>, <c>any</c>, <c>0.0.0.0</c>, <c>::</c>).</summary>
    public static bool IsWildcard(string address)
        => address is "*" or "any"
           || (IPAddress.TryParse(address.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));

    /// <summary>
    /// The host to dial: <paramref name="dialplanAddress"/> when set, else <paramref name="listenAddress"/>
    /// unless it is a wildcard (then <see cref="WildcardFallback"/>).
    /// </summary>
    public static string Host(string listenAddress, string? dialplanAddress)
        => dialplanAddress is { Length: > 0 } explicitAddress ? explicitAddress
            : IsWildcard(listenAddress) ? WildcardFallback
            : listenAddress;

    /// <summary>
    /// <c>agi://host:port</c> for <see cref="Host"/>, an IPv6 literal in brackets (<c>agi://[::1]:4573</c>), as
    /// a URL needs it.
    /// </summary>
    public static string BaseUrl(string listenAddress, int port, string? dialplanAddress)
    {
        var host = Host(listenAddress, dialplanAddress).Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6) host = $"[{host}]";
        return FormattableString.Invariant($"agi://{host}:{port}");
    }

    /// <summary>Null when <paramref name="dialplanAddress"/> can be dialled; otherwise why not.</summary>
    public static string? Problem(string dialplanAddress)
    {
        if (IsWildcard(dialplanAddress))
            return $"Agi:DialplanAddress '{dialplanAddress}' is a wildcard: Asterisk needs an address it can dial (leave it empty for {WildcardFallback}).";
        var host = dialplanAddress.StartsWith('[') && dialplanAddress.EndsWith(']') ? dialplanAddress[1..^1] : dialplanAddress;
        return IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns
            ? null
            : $"Agi:DialplanAddress '{dialplanAddress}' is not an IP address or host name.";
    }
}
