using Microsoft.AspNetCore.Authorization;

namespace PbxModules.Host.Auth;

/// <summary>
/// The safety net behind "every <c>/pbxcore/api/v3</c> route requires authorization": the fallback
/// policy, applied to endpoints that declare nothing, lets anything outside the API through
/// (<c>/healthz</c>) and requires an authenticated caller inside it, so an API endpoint mapped
/// without a permission is never anonymous.
/// </summary>
internal sealed class ApiPathRequirement : AuthorizationHandler<ApiPathRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiPathRequirement requirement)
    {
        var path = context.Resource is HttpContext http ? http.Request.Path : default;
        if (!path.StartsWithSegments(Rest.RestPaths.Base) || context.User.Identity?.IsAuthenticated == true) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
