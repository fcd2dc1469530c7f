using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PbxModules.Host.Rest;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Auth;

/// <summary>
/// Answers a refused request in the API's shape: 401 (no or bad credential, with
/// <c>WWW-Authenticate</c>) or 403 (known caller, missing permission — named in the message).
/// </summary>
internal sealed class PbxAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded) return next(context);

        if (authorizeResult.Forbidden)
        {
            var needed = policy.Requirements.OfType<PermissionRequirement>().Select(r => r.Permission).ToList();
            var message = needed.Count > 0
                ? $"Permission '{string.Join("', '", needed)}' is required; the caller ({context.User.FindFirst(PbxClaims.Name)?.Value}) does not hold it. Ask an administrator for a role or key that grants it."
                : "The caller is not allowed to do this.";
            return PbxApiHttpResult.WriteAsync(context, PbxApiResult.Forbidden(message), null);
        }

        if (context.Items[ApiKeyAuthenticationHandler.ThrottledItem] is TimeSpan wait)
        {
            var seconds = Throttling.AuthThrottle.RetryAfterSeconds(wait);
            context.Response.Headers.RetryAfter = seconds;
            return PbxApiHttpResult.WriteAsync(context, PbxApiResult.Fail(StatusCodes.Status429TooManyRequests,
                $"Too many unknown, revoked or expired API keys from this address: API keys are refused for {seconds} s (Retry-After). Each further failure makes the wait longer; a working key clears it."), null);
        }

        var presented = Credentials.Presented(context.Request);
        context.Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        return PbxApiHttpResult.WriteAsync(context, PbxApiResult.Unauthorized(presented
            ? "The access token or API key is invalid, expired or revoked. Log in again (POST /pbxcore/api/v3/auth:login), renew with auth:refresh, or use a live API key."
            : "Authentication required: send 'Authorization: Bearer <access token>' (from POST /pbxcore/api/v3/auth:login) or 'X-Api-Key: <key>'."), null);
    }
}
