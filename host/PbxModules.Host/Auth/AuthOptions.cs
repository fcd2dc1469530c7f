using System.ComponentModel.DataAnnotations;

namespace PbxModules.Host.Auth;

/// <summary>
/// The authentication settings of the <c>Rest</c> section: the first administrator, the JWT
/// signing key, token lifetimes, extra roles, and whether loopback callers are trusted.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    /// <summary>Same section as <see cref="Rest.RestOptions"/>.</summary>
    public const string SectionName = "Rest";

    /// <summary>When true, requests from 127.0.0.1/::1 skip authentication (Development only by default).</summary>
    public bool TrustLoopback { get; set; }

    /// <summary>The first administrator's user name, created at first start.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._@-]{1,64}$", ErrorMessage = "Rest:AdminUser must be 1–64 letters, digits, '.', '_', '@' or '-'.")]
    public string AdminUser { get; set; } = "admin";

    /// <summary>
    /// The first administrator's password. When absent at first start, one is generated and written
    /// once to <c>Paths:Data/admin-password.txt</c> (mode 0600). Only read while no user exists.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>The HMAC-SHA256 signing key (base64 of 32+ bytes, or 32+ characters). When absent, one is generated and kept under <c>Paths:Data</c>.</summary>
    public string? JwtKey { get; set; }

    /// <summary>The issuer and audience written into access tokens.</summary>
    [Required]
    public string Issuer { get; set; } = "pbx-modules";

    /// <summary>How long an access token is valid.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token is valid (each use replaces it).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Roles beyond the built-in <c>admin</c> (= <c>*</c>): name → permissions (<c>Resource:Action</c>, <c>Resource:*</c>).</summary>
    public Dictionary<string, string[]> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccessTokenLifetime <= TimeSpan.Zero || AccessTokenLifetime > TimeSpan.FromDays(1))
            yield return new ValidationResult("Rest:AccessTokenLifetime must be between 00:00:01 and 1.00:00:00.", [nameof(AccessTokenLifetime)]);
        if (RefreshTokenLifetime <= AccessTokenLifetime)
            yield return new ValidationResult("Rest:RefreshTokenLifetime must be longer than Rest:AccessTokenLifetime.", [nameof(RefreshTokenLifetime)]);
        foreach (var (role, permissions) in Roles)
        {
            foreach (var permission in permissions.Where(p => !Permissions.IsGrant(p)))
                yield return new ValidationResult($"Rest:Roles:{role} holds '{permission}'; write permissions as Resource:Action, Resource:* or *.", [nameof(Roles)]);
        }
    }
}
