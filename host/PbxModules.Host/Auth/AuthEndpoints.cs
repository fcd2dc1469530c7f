using System.ComponentModel.DataAnnotations;
using PbxModules.Host.Auth.Throttling;
using PbxModules.Host.Rest;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Auth;

/// <summary>
/// <c>POST /pbxcore/api/v3/auth:login</c>, <c>auth:refresh</c>, <c>auth:logout</c>, and the API key
/// endpoints <c>/pbxcore/api/v3/api-keys</c> (create → the key once, list without secrets, revoke).
/// </summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder api)
    {
        // One coarse per-address request limit on top of the failure locks, and a body of a few KB:
        // nothing here needs more, and an anonymous caller must not make the daemon buffer megabytes.
        var auth = api.MapGroup("").WithTags("Auth")
            .RequireRateLimiting(AuthRateLimiting.Policy)
            .WithMetadata(new RequestBodyLimit(RequestBodyLimit.AuthBytes));
        auth.MapPost("auth:login", async (LoginRequest request, HttpContext context, AuthService service, AuthThrottle throttle, CancellationToken ct) =>
        {
            if (Invalid(request) is { } invalid) return invalid;
            var address = ClientAddress.Of(context);
            // A locked account or address is refused before the password is looked at: no oracle.
            if (throttle.LoginRetryAfter(request.Username!, address) is { } locked) return TooManyFailures(context, locked);
            var pair = await service.LoginAsync(request.Username!, request.Password!, ct);
            if (pair is not null)
            {
                throttle.LoginSucceeded(request.Username!, address);
                return new PbxApiHttpResult(PbxApiResult.Ok(TokenResponse.From(pair)));
            }
            return throttle.LoginFailed(request.Username!, address) is { } lockout
                ? TooManyFailures(context, lockout)
                : new PbxApiHttpResult(PbxApiResult.Unauthorized("Wrong user name or password."));
        }).AllowAnonymous().WithSummary("Logs in with a user name and password; answers an access token (15 min) and a refresh token (30 days). Repeated failures lock the account and the address for a growing time (429 with Retry-After).");

        auth.MapPost("auth:refresh", async (RefreshRequest request, AuthService service, CancellationToken ct) =>
        {
            if (Invalid(request) is { } invalid) return invalid;
            var pair = await service.RefreshAsync(request.RefreshToken!, ct);
            return pair is null
                ? new PbxApiHttpResult(PbxApiResult.Unauthorized("The refresh token is unknown, used, revoked or expired. Log in again."))
                : new PbxApiHttpResult(PbxApiResult.Ok(TokenResponse.From(pair)));
        }).AllowAnonymous().WithSummary("Exchanges a refresh token for a new pair; the old refresh token stops working.");

        auth.MapPost("auth:logout", async (RefreshRequest request, AuthService service, CancellationToken ct) =>
        {
            if (Invalid(request) is { } invalid) return invalid;
            await service.LogoutAsync(request.RefreshToken!, ct);
            // The same answer whether or not the token was known: logout is not an oracle.
            return new PbxApiHttpResult(PbxApiResult.Done("Logged out."));
        }).AllowAnonymous().WithSummary("Ends the session of a refresh token: its refresh and access tokens stop working.");

        var keys = api.MapGroup("api-keys").WithTags("API keys");
        keys.MapGet("", async (ApiListQuery query, ApiKeyService service, CancellationToken ct) =>
            new PbxApiHttpResult(query.ToPage((await service.ListAsync(ct)).Select(ApiKeyView.From).ToList())))
            .RequireAuthorization(Permissions.Policy(Permissions.ApiKeysRead)).WithSummary("Lists API keys, never their secrets (limit, offset: one page).");

        keys.MapPost("", async (CreateApiKeyRequest request, HttpContext context, ApiKeyService service, RoleCatalog roles, TimeProvider time, CancellationToken ct) =>
        {
            if (Invalid(request) is { } invalid) return invalid;
            var requestedRoles = request.Roles ?? [];
            var requestedPermissions = request.Permissions ?? [];
            var errors = new Dictionary<string, string[]>();
            if (requestedRoles.FirstOrDefault(r => !roles.Exists(r)) is { } unknownRole) errors["roles"] = [$"unknown role '{unknownRole}'."];
            if (requestedPermissions.FirstOrDefault(p => !Permissions.IsGrant(p)) is { } badPermission) errors["permissions"] = [$"'{badPermission}' is not Resource:Action, Resource:* or *."];
            if (request.ExpiresAt is { } expires && expires <= time.GetUtcNow()) errors["expiresAt"] = ["must be in the future."];
            if (errors.Count > 0) return new PbxApiHttpResult(PbxApiResult.ValidationFailed(errors));

            // A caller can hand out only what it holds itself.
            var held = context.User.FindAll(PbxClaims.Permission).Select(c => c.Value).ToList();
            var granted = roles.Expand(requestedRoles, requestedPermissions);
            if (granted.FirstOrDefault(g => !Covers(held, g)) is { } beyond)
                return new PbxApiHttpResult(PbxApiResult.Forbidden($"A key cannot be given '{beyond}', which the caller does not hold."));

            var (record, key) = await service.CreateAsync(request.Name!, requestedRoles, requestedPermissions, request.ExpiresAt, context.User.FindFirst(PbxClaims.Name)?.Value, ct);
            return new PbxApiHttpResult(PbxApiResult.Created(new CreatedApiKey(ApiKeyView.From(record), key)));
        }).RequireAuthorization(Permissions.Policy(Permissions.ApiKeysWrite)).WithSummary("Creates an API key; the answer holds the key, shown this once.");

        keys.MapDelete("{id:int}", async (int id, ApiKeyService service, CancellationToken ct) =>
            await service.RevokeAsync(id, ct)
                ? new PbxApiHttpResult(PbxApiResult.Done($"API key {id} revoked."))
                : new PbxApiHttpResult(PbxApiResult.NotFound($"No API key {id}.")))
            .RequireAuthorization(Permissions.Policy(Permissions.ApiKeysWrite)).WithSummary("Revokes an API key at once.");
        return api;
    }

    private static PbxApiHttpResult TooManyFailures(HttpContext context, TimeSpan wait)
    {
        var seconds = AuthThrottle.RetryAfterSeconds(wait);
        context.Response.Headers.RetryAfter = seconds;
        return new PbxApiHttpResult(PbxApiResult.Fail(StatusCodes.Status429TooManyRequests,
            $"Too many failed logins for this account or from this address: logins are locked for {seconds} s (Retry-After). Each further failure makes the lock longer; a successful login clears it."));
    }

    private static bool Covers(IReadOnlyList<string> held, string grant)
    {
        if (grant == Permissions.All) return held.Contains(Permissions.All);
        if (grant.EndsWith(":*", StringComparison.Ordinal))
            return held.Contains(Permissions.All) || held.Any(h => string.Equals(h, grant, StringComparison.OrdinalIgnoreCase));
        return Permissions.Covers(held, grant);
    }

    private static PbxApiHttpResult? Invalid(object request)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(request, new ValidationContext(request), results, validateAllProperties: true)) return null;
        var fields = results.SelectMany(r => r.MemberNames.DefaultIfEmpty(""), (r, m) => (Field: m.Length == 0 ? "" : char.ToLowerInvariant(m[0]) + m[1..], r.ErrorMessage))
            .GroupBy(x => x.Field).ToDictionary(g => g.Key, g => g.Select(x => x.ErrorMessage ?? "is invalid.").ToArray());
        return new PbxApiHttpResult(PbxApiResult.ValidationFailed(fields));
    }
}

/// <summary>The body of <c>auth:login</c>.</summary>
public sealed record LoginRequest([property: Required, StringLength(64)] string? Username, [property: Required, StringLength(256)] string? Password);

/// <summary>The body of <c>auth:refresh</c> and <c>auth:logout</c>.</summary>
public sealed record RefreshRequest([property: Required, StringLength(128)] string? RefreshToken);

/// <summary>The body of <c>POST api-keys</c>.</summary>
public sealed record CreateApiKeyRequest(
    [property: Required, StringLength(128, MinimumLength = 1)] string? Name,
    string[]? Roles,
    string[]? Permissions,
    DateTimeOffset? ExpiresAt);

/// <summary>What login and refresh answer.</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt)
{
    public static TokenResponse From(TokenPair pair) => new(
        pair.AccessToken, "Bearer", pair.AccessTokenLifetimeSeconds, pair.AccessTokenExpiresAt,
        pair.RefreshToken, pair.RefreshTokenExpiresAt);
}

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyView(int Id, string KeyId, string Name, string[] Roles, string[] Permissions, string? CreatedBy, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public static ApiKeyView From(ApiKeyRecord r) => new(r.Id, r.KeyId, r.Name, TokenService.Split(r.Roles), TokenService.Split(r.Permissions), r.CreatedBy, r.CreatedAt, r.ExpiresAt, r.RevokedAt, r.LastUsedAt);
}

/// <summary>What creating a key answers: the listing plus the key, this once.</summary>
public sealed record CreatedApiKey(ApiKeyView ApiKey, string Key);
