using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PbxModules.Host.Auth.Throttling;
using PbxModules.Host.Rest.UnixSocket;

namespace PbxModules.Host.Auth;

/// <summary>Where a request carries its credential, read once by the scheme selector and the handlers.</summary>
internal static class Credentials
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The API key of the request: <c>X-Api-Key</c>, <c>Authorization: ApiKey …</c>, or a bearer value of 64 hex characters (MikoPBX clients send keys as bearer).</summary>
    public static string? ApiKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(ApiKeyHeader, out var header) && header.Count > 0) return header[0]?.Trim();
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && ApiKeyService.LooksLikeKey(authorization[7..].Trim())) return authorization[7..].Trim();
        return null;
    }

    /// <summary>True when the request presents any credential.</summary>
    public static bool Presented(HttpRequest request)
        => request.Headers.ContainsKey(ApiKeyHeader) || !string.IsNullOrWhiteSpace(request.Headers.Authorization);

    /// <summary>Picks the scheme that will authenticate the request.</summary>
    public static string SelectScheme(HttpContext context)
    {
        if (ApiKey(context.Request) is not null) return PbxAuthSchemes.ApiKey;
        if (!string.IsNullOrWhiteSpace(context.Request.Headers.Authorization)) return PbxAuthSchemes.Bearer;
        return RestUnixSocket.IsUnixSocket(context) ? PbxAuthSchemes.UnixSocket : PbxAuthSchemes.Loopback;
    }
}

/// <summary>Authenticates API keys against <c>c_api_keys</c>.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyService keys, RoleCatalog roles, AuthThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which a throttled request carries how long it must wait.</summary>
    public const string ThrottledItem = "PbxModules.ApiKeyThrottled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Credentials.ApiKey(Request);
        if (key is null) return AuthenticateResult.NoResult();
        var address = ClientAddress.Of(Context);
        // A throttled address gets no answer about its key, right or wrong.
        if (throttle.ApiKeyRetryAfter(address) is { } locked)
        {
            Context.Items[ThrottledItem] = locked;
            return AuthenticateResult.Fail("Too many refused API keys from this address.");
        }
        var record = await keys.AuthenticateAsync(key, Context.RequestAborted);
        if (record is null)
        {
            if (throttle.ApiKeyFailed(address) is { } lockout) Context.Items[ThrottledItem] = lockout;
            return AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
        }
        throttle.ApiKeySucceeded(address);

        var claims = new List<Claim>
        {
            new(PbxClaims.Name, $"apikey:{record.Name}"),
            new(PbxClaims.Kind, "apikey"),
        };
        claims.AddRange(TokenService.Split(record.Roles).Select(r => new Claim(PbxClaims.Role, r)));
        claims.AddRange(roles.Expand(TokenService.Split(record.Roles), TokenService.Split(record.Permissions)).Select(g => new Claim(PbxClaims.Permission, g)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, PbxClaims.Name, PbxClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>
/// With <c>Rest:TrustLoopback</c>, a request from 127.0.0.1 or ::1 that presents no credential is
/// an administrator. Meant for development (and a box where only root can reach loopback); off by
/// default outside Development, and never for a request behind a local reverse proxy.
/// </summary>
internal sealed class LoopbackAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var remote = Context.Connection.RemoteIpAddress;
        if (!auth.CurrentValue.TrustLoopback || remote is null || !IPAddress.IsLoopback(remote) || Credentials.Presented(Request))
            return Task.FromResult(AuthenticateResult.NoResult());
        var identity = new ClaimsIdentity(
            [new Claim(PbxClaims.Name, "loopback"), new Claim(PbxClaims.Kind, "loopback"), new Claim(PbxClaims.Permission, Permissions.All)],
            Scheme.Name, PbxClaims.Name, PbxClaims.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}

/// <summary>
/// A request that came over the daemon's Unix socket (<c>Rest:UnixSocket</c>) and presents no
/// credential is a local administrator: only the daemon's user and group can connect there (mode
/// 0660 inside the data folder). Decided by the connection's endpoint, never by a header, so a
/// request over TCP can never be taken for one.
/// </summary>
internal sealed class UnixSocketAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!RestUnixSocket.IsUnixSocket(Context) || Credentials.Presented(Request)) return Task.FromResult(AuthenticateResult.NoResult());
        var identity = new ClaimsIdentity(
            [
                new Claim(PbxClaims.Name, "unix-socket"), new Claim(PbxClaims.Kind, "unix-socket"),
                new Claim(PbxClaims.Role, Permissions.AdminRole), new Claim(PbxClaims.Permission, Permissions.All),
            ],
            Scheme.Name, PbxClaims.Name, PbxClaims.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
