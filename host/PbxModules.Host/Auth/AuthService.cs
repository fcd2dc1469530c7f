using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.HostData;

namespace PbxModules.Host.Auth;

/// <summary>An access token and the refresh token that renews it.</summary>
public sealed record TokenPair(string AccessToken, DateTimeOffset AccessTokenExpiresAt, int AccessTokenLifetimeSeconds, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

/// <summary>
/// Users and their sessions: password login (PBKDF2 hashes), refresh with rotation and theft
/// detection, logout, and the first administrator. Refresh tokens are stored as SHA-256 hashes.
/// </summary>
internal sealed partial class AuthService(
    IDbContextFactory<HostDbContext> database,
    TokenService tokens,
    RoleCatalog roles,
    SessionRevocations revocations,
    IOptions<AuthOptions> options,
    IOptions<PathsOptions> paths,
    TimeProvider time,
    ILogger<AuthService> logger)
{
    /// <summary>The file a generated first-admin password is written to, under <c>Paths:Data</c>.</summary>
    public const string AdminPasswordFileName = "admin-password.txt";

    private readonly PasswordHasher<UserRecord> _hasher = new();

    // Verifying against this when the user does not exist keeps a failed login's timing the same
    // whether or not the user name is known.
    private readonly Lazy<string> _dummyHash = new(() => new PasswordHasher<UserRecord>().HashPassword(new UserRecord { UserName = "-", PasswordHash = "" }, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    /// <summary>Checks a user name and password; returns tokens for a new session, or null.</summary>
    public async Task<TokenPair?> LoginAsync(string userName, string password, CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null || user.Disabled)
        {
            _hasher.VerifyHashedPassword(new UserRecord { UserName = userName, PasswordHash = "" }, _dummyHash.Value, password);
            LogLoginFailed(logger, userName);
            return null;
        }
        var verdict = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            LogLoginFailed(logger, userName);
            return null;
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = _hasher.HashPassword(user, password);
        var pair = await IssueAsync(db, user, TokenService.CreateSessionId(), cancellationToken);
        LogLoggedIn(logger, user.UserName);
        return pair;
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. A token works once: presenting a used one again
    /// means it was copied, so the whole session is revoked. Returns null when refused.
    /// </summary>
    public async Task<TokenPair?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = TokenService.Hash(refreshToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var record = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (record is null || record.RevokedAt is not null || record.ExpiresAt <= now) return null;
        if (record.UsedAt is not null)
        {
            await RevokeSessionAsync(db, record.SessionId, cancellationToken);
            LogRefreshReused(logger, record.SessionId);
            return null;
        }

        // Claim the token atomically: of two concurrent refreshes with it, one wins.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == record.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (claimed != 1) return null;

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == record.UserId, cancellationToken);
        if (user is null || user.Disabled) return null;
        return await IssueAsync(db, user, record.SessionId, cancellationToken);
    }

    /// <summary>Ends the session a refresh token belongs to: its refresh tokens and access tokens stop working.</summary>
    public async Task<bool> LogoutAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var hash = TokenService.Hash(refreshToken);
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var record = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (record is null) return false;
        await RevokeSessionAsync(db, record.SessionId, cancellationToken);
        return true;
    }

    /// <summary>
    /// Creates the first administrator when there is no user: with <c>Rest:AdminPassword</c>, or a
    /// generated password written once to <c>Paths:Data/admin-password.txt</c> (0600). Also reloads
    /// the sessions revoked recently enough for their access tokens to be still unexpired.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var since = (now - options.Value.AccessTokenLifetime).UtcDateTime;
        foreach (var revoked in await db.RefreshTokens.Where(t => t.RevokedAt != null && t.RevokedAt > since)
                     .Select(t => new { t.SessionId, t.RevokedAt }).ToListAsync(cancellationToken))
            revocations.Revoke(revoked.SessionId, new DateTimeOffset(DateTime.SpecifyKind(revoked.RevokedAt!.Value, DateTimeKind.Utc)) + options.Value.AccessTokenLifetime);

        if (await db.Users.AnyAsync(cancellationToken)) return;

        var userName = options.Value.AdminUser;
        string password;
        if (!string.IsNullOrEmpty(options.Value.AdminPassword))
        {
            password = options.Value.AdminPassword;
            if (password.Length < 8) throw new InvalidOperationException("Rest:AdminPassword must be at least 8 characters.");
            LogAdminCreatedFromConfiguration(logger, userName);
        }
        else
        {
            var path = Path.Combine(paths.Value.DataFullPath, AdminPasswordFileName);
            var generated = Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
            // A file left from an earlier database keeps its password: it is the one the administrator has.
            password = SecretFile.TryCreate(path, generated + "\n") ? generated : (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
            LogAdminCreatedWithGeneratedPassword(logger, userName, path);
        }

        var admin = new UserRecord { UserName = userName, PasswordHash = "", Roles = Permissions.AdminRole, CreatedAt = now.UtcDateTime };
        admin.PasswordHash = _hasher.HashPassword(admin, password);
        db.Users.Add(admin);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds a user (tests and a future users API).</summary>
    public async Task<UserRecord> CreateUserAsync(string userName, string password, IEnumerable<string> userRoles, IEnumerable<string> permissions, CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var user = new UserRecord
        {
            UserName = userName,
            PasswordHash = "",
            Roles = string.Join(',', userRoles),
            Permissions = string.Join(',', permissions),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = _hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    private async Task<TokenPair> IssueAsync(HostDbContext db, UserRecord user, string sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refresh = TokenService.CreateRefreshToken();
        var refreshExpires = now + options.Value.RefreshTokenLifetime;
        db.RefreshTokens.Add(new RefreshTokenRecord
        {
            UserId = user.Id,
            TokenHash = TokenService.Hash(refresh),
            SessionId = sessionId,
            CreatedAt = now.UtcDateTime,
            ExpiresAt = refreshExpires.UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        var grants = roles.Expand(TokenService.Split(user.Roles), TokenService.Split(user.Permissions));
        var (access, accessExpires) = tokens.CreateAccessToken(user, grants, sessionId);
        return new TokenPair(access, accessExpires, (int)(accessExpires - now).TotalSeconds, refresh, refreshExpires);
    }

    private async Task RevokeSessionAsync(HostDbContext db, string sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.RefreshTokens.Where(t => t.SessionId == sessionId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now.UtcDateTime), cancellationToken);
        revocations.Revoke(sessionId, now + options.Value.AccessTokenLifetime);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} logged in")]
    private static partial void LogLoggedIn(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed login for user {UserName}")]
    private static partial void LogLoginFailed(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A used refresh token was presented again; session {SessionId} revoked")]
    private static partial void LogRefreshReused(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first administrator {UserName} with the password from Rest:AdminPassword")]
    private static partial void LogAdminCreatedFromConfiguration(ILogger logger, string userName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first administrator {UserName}; its generated password is in {Path} (readable by the daemon's user only). Log in, then delete the file.")]
    private static partial void LogAdminCreatedWithGeneratedPassword(ILogger logger, string userName, string path);
}
