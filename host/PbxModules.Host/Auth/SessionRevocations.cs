using System.Collections.Concurrent;

namespace PbxModules.Host.Auth;

/// <summary>
/// Login sessions ended by logout or theft detection, checked on every access token so that a
/// logout takes effect at once rather than when the access token expires. Kept in memory (refilled
/// from <c>c_refresh_tokens</c> at start-up); an entry is only needed while access tokens issued
/// before the revocation can still be valid.
/// </summary>
internal sealed class SessionRevocations(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    /// <summary>Marks a session revoked until <paramref name="until"/> (the last moment one of its access tokens could be valid).</summary>
    public void Revoke(string sessionId, DateTimeOffset until)
    {
        _revoked[sessionId] = until;
        var now = time.GetUtcNow();
        foreach (var (id, expires) in _revoked)
        {
            if (expires < now) _revoked.TryRemove(id, out _);
        }
    }

    public bool IsRevoked(string sessionId) => _revoked.ContainsKey(sessionId);
}
