using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Agi.Hosting;

namespace PbxModules.Asterisk.Agi.Server;

/// <summary>
/// Decides whether a peer may open a FastAGI session (<see cref="FastAgiOptions.AllowedPeers"/>) and logs
/// refusals, at most one line per peer per minute (the next line says how many were not logged). The memory it keeps for that is bounded: it remembers
/// up to <see cref="MaxTrackedPeers"/> addresses; refusals from further addresses are summed into one
/// line a minute, so a sender of many addresses cannot grow the log or the table.
/// </summary>
internal sealed class FastAgiPeerFilter(ILogger logger, TimeProvider time)
{
    /// <summary>How many refused addresses are remembered for rate-limiting their log lines.</summary>
    public const int MaxTrackedPeers = 1024;

    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, PeerLog> _refused = new();
    private readonly Lock _overflowGate = new();
    private string[]? _source;
    private IPNetwork[] _networks = [];
    private long _overflowRefusals;
    private DateTimeOffset _overflowLogged = DateTimeOffset.MinValue;

    /// <summary>True when <paramref name="address"/> lies in one of <paramref name="allowedPeers"/> (IPv4-mapped IPv6 addresses count as IPv4).</summary>
    public bool IsAllowed(IPAddress address, string[] allowedPeers)
    {
        var networks = Networks(allowedPeers);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }

    /// <summary>Logs one refusal, unless this peer was logged less than a minute ago.</summary>
    public void LogRefused(string connectionId, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var now = time.GetUtcNow();
        if (_refused.TryGetValue(address, out var known) || TryTrack(address, now, out known))
        {
            long suppressed;
            lock (known)
            {
                if (known.Logged != DateTimeOffset.MinValue && now - known.Logged < LogInterval)
                {
                    known.Suppressed++;
                    return;
                }
                suppressed = known.Suppressed;
                known.Suppressed = 0;
                known.Logged = now;
            }
            FastAgiLog.PeerRefused(logger, connectionId, address.ToString(), suppressed);
            return;
        }

        lock (_overflowGate)
        {
            _overflowRefusals++;
            if (now - _overflowLogged < LogInterval) return;
            FastAgiLog.PeersRefused(logger, _overflowRefusals, MaxTrackedPeers);
            _overflowRefusals = 0;
            _overflowLogged = now;
        }
    }

    private bool TryTrack(IPAddress address, DateTimeOffset now, out PeerLog entry)
    {
        if (_refused.Count >= MaxTrackedPeers)
        {
            // Peers not refused for a minute need no rate limit any more.
            foreach (var (key, value) in _refused)
            {
                if (now - value.Logged >= LogInterval) _refused.TryRemove(key, out _);
            }
        }
        if (_refused.Count >= MaxTrackedPeers)
        {
            entry = null!;
            return false;
        }
        entry = _refused.GetOrAdd(address, static _ => new PeerLog());
        return true;
    }

    private IPNetwork[] Networks(string[] allowedPeers)
    {
        // Parsed once per configuration (the options object changes only on reload).
        if (!ReferenceEquals(Volatile.Read(ref _source), allowedPeers))
        {
            var parsed = allowedPeers.Select(p => FastAgiOptions.TryParsePeer(p, out var n) ? n : throw new InvalidOperationException($"Agi:AllowedPeers entry '{p}' is not a network.")).ToArray();
            _networks = parsed;
            Volatile.Write(ref _source, allowedPeers);
            return parsed;
        }
        return _networks;
    }

    private sealed class PeerLog
    {
        public DateTimeOffset Logged = DateTimeOffset.MinValue;
        public long Suppressed;
    }
}
