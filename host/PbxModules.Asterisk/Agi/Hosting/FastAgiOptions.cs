using System.Net;
using Microsoft.Extensions.Options;

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

/// <summary>Checks <see cref="FastAgiOptions"/> at start-up, naming the offending key.</summary>
internal sealed class FastAgiOptionsValidator : IValidateOptions<FastAgiOptions>
{
    public ValidateOptionsResult Validate(string? name, FastAgiOptions options)
    {
        var errors = new List<string>();
        if (options.Address is not ("localhost" or "*" or "any") && !IPAddress.TryParse(options.Address, out _))
            errors.Add($"Agi:Address '{options.Address}' is not an IP address (or localhost, *).");
        if (options.AllowedPeers is null || options.AllowedPeers.Length == 0)
            errors.Add("Agi:AllowedPeers is empty: no Asterisk could connect. List its address, e.g. 127.0.0.1/32.");
        else
        {
            foreach (var peer in options.AllowedPeers)
            {
                if (!FastAgiOptions.TryParsePeer(peer, out _))
                    errors.Add($"Agi:AllowedPeers entry '{peer}' is not a network in CIDR notation (e.g. 192.0.2.10/32, 10.0.0.0/8, ::1/128, or a single address; the host bits must be zero).");
            }
        }
        if (options.Port is < 0 or > 65535) errors.Add($"Agi:Port {options.Port} is not a TCP port.");
        if (options.EnvironmentTimeout <= TimeSpan.Zero) errors.Add("Agi:EnvironmentTimeout must be positive.");
        if (options.IdleTimeout <= TimeSpan.Zero) errors.Add("Agi:IdleTimeout must be positive.");
        if (options.MaxSessionDuration <= TimeSpan.Zero && options.MaxSessionDuration != Timeout.InfiniteTimeSpan)
            errors.Add("Agi:MaxSessionDuration must be positive (or -00:00:00.001 for no limit).");
        if (options.MaxLineLength < 256) errors.Add("Agi:MaxLineLength must be at least 256.");
        if (options.MaxReplyLength < options.MaxLineLength) errors.Add("Agi:MaxReplyLength must be at least Agi:MaxLineLength.");
        if (options.MaxEnvironmentVariables < 32) errors.Add("Agi:MaxEnvironmentVariables must be at least 32.");
        if (options.MaxConcurrentSessions < 1) errors.Add("Agi:MaxConcurrentSessions must be at least 1.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
