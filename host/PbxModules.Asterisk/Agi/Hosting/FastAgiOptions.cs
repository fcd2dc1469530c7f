using System.Net;

namespace PbxModules.Asterisk.Agi.Hosting;

/// <summary>
/// Settings of the FastAGI server, bound from the <c>Agi</c> configuration section. Every limit exists so
/// that a client that sends garbage, stalls or disconnects costs one log line and nothing else.
/// </summary>
public sealed class FastAgiOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Agi";

    /// <summary>The address to listen on (<c>Agi:Address</c>); loopback unless configured otherwise.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The TCP port to listen on (<c>Agi:Port</c>), 4573 being FastAGI's registered port.</summary>
    public int Port { get; set; } = 4573;

    /// <summary>
    /// The networks allowed to connect (<c>Agi:AllowedPeers</c>), in CIDR notation (<c>10.0.0.5/32</c>,
    /// <c>192.168.1.0/24</c>, <c>fd00::/8</c>); default loopback only (<c>127.0.0.0/8</c>, <c>::1/128</c>). Anyone
    /// who can open a FastAGI connection can run module handlers on a made-up call, so list the Asterisk
    /// servers only. Any other peer is closed at once, before its environment is read.
    /// </summary>
    public string[] AllowedPeers { get; set; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>How long Asterisk may take to send the whole <c>agi_*</c> environment after connecting. It sends it at once, so this is short.</summary>
    public TimeSpan EnvironmentTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the server waits, without receiving a byte, for the reply to a command. Playback and
    /// recording commands answer only when they end, so this must exceed the longest prompt or recording.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a session handler may run before its token is cancelled; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest line accepted from Asterisk, in bytes (a <c>GET VARIABLE</c> reply carries the whole value on one line).</summary>
    public int MaxLineLength { get; set; } = 16 * 1024;

    /// <summary>The longest multi-line (<c>520-</c>) reply accepted, in bytes.</summary>
    public int MaxReplyLength { get; set; } = 64 * 1024;

    /// <summary>The most <c>agi_*</c> lines accepted in an environment (Asterisk sends 22 plus one per argument).</summary>
    public int MaxEnvironmentVariables { get; set; } = 256;

    /// <summary>Sessions running at once; a connection beyond this is closed at once (Asterisk then sets <c>AGISTATUS=FAILURE</c>).</summary>
    public int MaxConcurrentSessions { get; set; } = 1000;

    /// <summary>
    /// Parses one <see cref="AllowedPeers"/> entry: a network in CIDR notation whose host bits are zero, or a
    /// single address (taken as /32 or /128). <c>10.0.0.1/8</c> is refused rather than widened to 10.0.0.0/8.
    /// </summary>
    internal static bool TryParsePeer(string? entry, out IPNetwork network)
    {
        network = default;
        var text = entry?.Trim() ?? string.Empty;
        if (text.Length == 0) return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (!IPAddress.TryParse(text, out var single)) return false;
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address) || !IPNetwork.TryParse(text, out network)) return false;
        return network.BaseAddress.Equals(address);
    }

    internal IPAddress GetIPAddress()
        => Address switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "any" => IPAddress.IPv6Any,
            _ => IPAddress.Parse(Address),
        };
}
