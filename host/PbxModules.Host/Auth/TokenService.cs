using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PbxModules.Host.Auth;

/// <summary>Issues access tokens (JWT, HMAC-SHA256) and opaque refresh tokens, and hashes secrets for storage.</summary>
internal sealed class TokenService(JwtKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>An access token for <paramref name="user"/> in session <paramref name="sessionId"/>, with its expiry.</summary>
    public (string Token, DateTimeOffset ExpiresAt) CreateAccessToken(UserRecord user, IReadOnlyList<string> grants, string sessionId)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(PbxClaims.Name, user.UserName),
            new(PbxClaims.Session, sessionId),
            new(PbxClaims.Kind, "user"),
            new(JwtRegisteredClaimNames.Jti, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))),
        };
        claims.AddRange(Split(user.Roles).Select(r => new Claim(PbxClaims.Role, r)));
        claims.AddRange(grants.Select(g => new Claim(PbxClaims.Permission, g)));
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = options.Value.Issuer,
            Audience = options.Value.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    /// <summary>A new refresh token (256 random bits, base64url) — only its hash is stored.</summary>
    public static string CreateRefreshToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new session id.</summary>
    public static string CreateSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Lower-case hex SHA-256 of a secret, as stored.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>A comma-separated column as a list.</summary>
    public static string[] Split(string? value) => string.IsNullOrWhiteSpace(value) ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
