namespace PbxModules.Host.Auth;

/// <summary>A row of <c>c_users</c>: someone who logs in with a password.</summary>
public sealed class UserRecord
{
    public int Id { get; set; }

    /// <summary>Unique, case-insensitive.</summary>
    public required string UserName { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash format (salt, iterations and algorithm inside).</summary>
    public required string PasswordHash { get; set; }

    /// <summary>Role names, comma-separated.</summary>
    public string Roles { get; set; } = "";

    /// <summary>Direct grants, comma-separated.</summary>
    public string Permissions { get; set; } = "";

    public bool Disabled { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A row of <c>c_api_keys</c>. The key itself is never stored: <see cref="KeyId"/> (its first 16
/// hex characters) finds the row, <see cref="SecretHash"/> (SHA-256 of the whole key) proves it.
/// </summary>
public sealed class ApiKeyRecord
{
    public int Id { get; set; }

    /// <summary>The key's public prefix, unique.</summary>
    public required string KeyId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public required string SecretHash { get; set; }

    public required string Name { get; set; }

    /// <summary>Role names, comma-separated.</summary>
    public string Roles { get; set; } = "";

    /// <summary>Direct grants, comma-separated.</summary>
    public string Permissions { get; set; } = "";

    /// <summary>Who created it.</summary>
    public string? CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }
}

/// <summary>
/// A row of <c>c_refresh_tokens</c>. Only the SHA-256 of the token is stored. Tokens of one login
/// form a session (<see cref="SessionId"/>): each refresh marks the used token and issues the next;
/// presenting a used token again revokes the whole session (theft detection).
/// </summary>
public sealed class RefreshTokenRecord
{
    public long Id { get; set; }

    public int UserId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token, unique.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The login session the token belongs to; also the access tokens' <c>sid</c>.</summary>
    public required string SessionId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>When it was exchanged for the next one; a second use is theft.</summary>
    public DateTime? UsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
