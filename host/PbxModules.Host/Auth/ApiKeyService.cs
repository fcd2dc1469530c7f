using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PbxModules.Host.HostData;

namespace PbxModules.Host.Auth;

/// <summary>
/// API keys: 64 hex characters (256 random bits), shown once at creation. The first 16 characters
/// are the key id, stored in clear to find the row; the whole key is stored only as its SHA-256,
/// compared in constant time. A presented key costs one indexed lookup, never a scan of hashes.
/// </summary>
internal sealed class ApiKeyService(IDbContextFactory<HostDbContext> database, TimeProvider time)
{
    /// <summary>Characters of the key that form its public id.</summary>
    public const int KeyIdLength = 16;

    /// <summary>Creates a key; returns the row and the key itself, which is not kept anywhere.</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string name, IEnumerable<string> roles, IEnumerable<string> permissions, DateTimeOffset? expiresAt, string? createdBy, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var record = new ApiKeyRecord
        {
            KeyId = key[..KeyIdLength],
            SecretHash = TokenService.Hash(key),
            Name = name,
            Roles = string.Join(',', roles),
            Permissions = string.Join(',', permissions),
            CreatedBy = createdBy,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ExpiresAt = expiresAt?.UtcDateTime,
        };
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, key);
    }

    /// <summary>True when <paramref name="key"/> has the shape of a key (64 hex characters).</summary>
    public static bool LooksLikeKey(string? key) => key is { Length: 64 } && key.All(char.IsAsciiHexDigit);

    /// <summary>The live key row for <paramref name="key"/>, or null.</summary>
    public async Task<ApiKeyRecord?> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!LooksLikeKey(key)) return null;
        key = key.ToLowerInvariant();
        var keyId = key[..KeyIdLength];
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var record = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId, cancellationToken);
        if (record is null) return null;

        var presented = Convert.FromHexString(TokenService.Hash(key));
        var stored = Convert.FromHexString(record.SecretHash);
        if (!CryptographicOperations.FixedTimeEquals(presented, stored)) return null;

        var now = time.GetUtcNow().UtcDateTime;
        if (record.RevokedAt is not null || record.ExpiresAt <= now) return null;
        // Last use is recorded at most once a minute: a busy key must not write on every call.
        if (record.LastUsedAt is null || now - record.LastUsedAt > TimeSpan.FromMinutes(1))
            await db.ApiKeys.Where(k => k.Id == record.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        return record;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Revokes a key; false when there is no such key.</summary>
    public async Task<bool> RevokeAsync(int id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        if (!await db.ApiKeys.AnyAsync(k => k.Id == id, cancellationToken)) return false;
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        return true;
    }
}
