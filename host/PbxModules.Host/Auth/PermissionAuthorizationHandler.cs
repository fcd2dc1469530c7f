using Microsoft.AspNetCore.Authorization;

namespace PbxModules.Host.Auth;

/// <summary>Checks a <see cref="PermissionRequirement"/> against the caller's permission claims.</summary>
internal sealed class PermissionAuthorizationHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var grants = context.User.FindAll(PbxClaims.Permission).Select(c => c.Value);
        if (Permissions.Covers(grants, requirement.Permission)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
