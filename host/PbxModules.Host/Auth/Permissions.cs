using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;

namespace PbxModules.Host.Auth;

/// <summary>
/// <c>Resource:Action</c> permissions, as <see cref="Sdk.Rest.ResourceSecurityAttribute"/> names
/// them. A caller holds grants: an exact permission, <c>Resource:*</c>, or <c>*</c> (the
/// <c>admin</c> role). Grants travel as <see cref="PbxClaims.Permission"/> claims.
/// </summary>
public static partial class Permissions
{
    /// <summary>Everything.</summary>
    public const string All = "*";

    /// <summary>Reading the module list.</summary>
    public const string ModulesRead = "Modules:Read";

    /// <summary>Enabling, disabling, uninstalling modules.</summary>
    public const string ModulesWrite = "Modules:Write";

    /// <summary>Listing API keys.</summary>
    public const string ApiKeysRead = "ApiKeys:Read";

    /// <summary>Creating and revoking API keys.</summary>
    public const string ApiKeysWrite = "ApiKeys:Write";

    /// <summary>The built-in role that holds <c>*</c>.</summary>
    public const string AdminRole = "admin";

    /// <summary>Reads the daemon's own state in detail: <c>/healthz</c> beyond the bare status (paths, AMI endpoint, Asterisk's banner).</summary>
    public const string SystemRead = "System:Read";

    private static readonly ConcurrentDictionary<string, AuthorizationPolicy> Policies = new(StringComparer.Ordinal);

    /// <summary>True for something a role, user or key may hold: a permission, <c>Resource:*</c> or <c>*</c>.</summary>
    public static bool IsGrant(string? grant) => grant is All || (grant is not null && GrantShape().IsMatch(grant));

    /// <summary>True when <paramref name="grants"/> cover <paramref name="permission"/>.</summary>
    public static bool Covers(IEnumerable<string> grants, string permission)
    {
        var colon = permission.IndexOf(':', StringComparison.Ordinal);
        var resource = colon > 0 ? permission[..colon] : permission;
        foreach (var grant in grants)
        {
            if (grant == All || string.Equals(grant, permission, StringComparison.OrdinalIgnoreCase)) return true;
            if (grant.EndsWith(":*", StringComparison.Ordinal) && string.Equals(grant[..^2], resource, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The authorization policy of an endpoint that needs <paramref name="permission"/> (shared per permission).</summary>
    public static AuthorizationPolicy Policy(string permission)
        => Policies.GetOrAdd(permission, static p => new AuthorizationPolicyBuilder(PbxAuthSchemes.Pbx)
            .RequireAuthenticatedUser()
            .AddRequirements(new PermissionRequirement(p))
            .Build());

    /// <summary>Any authenticated caller (e.g. the OpenAPI document).</summary>
    public static AuthorizationPolicy Authenticated { get; } = new AuthorizationPolicyBuilder(PbxAuthSchemes.Pbx).RequireAuthenticatedUser().Build();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*:([A-Za-z][A-Za-z0-9]*|\*)$")]
    private static partial Regex GrantShape();
}

/// <summary>The caller must hold <see cref="Permission"/>.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

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

/// <summary>Role names → grants: the built-in <c>admin</c> (<c>*</c>) and those configured under <c>Rest:Roles</c>.</summary>
internal sealed class RoleCatalog(Microsoft.Extensions.Options.IOptionsMonitor<AuthOptions> options)
{
    /// <summary>The grants of the given roles plus the direct permissions, without duplicates.</summary>
    public IReadOnlyList<string> Expand(IEnumerable<string> roles, IEnumerable<string> permissions)
    {
        var grants = new HashSet<string>(permissions, StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            if (string.Equals(role, Permissions.AdminRole, StringComparison.OrdinalIgnoreCase)) grants.Add(Permissions.All);
            else if (options.CurrentValue.Roles.TryGetValue(role, out var granted)) grants.UnionWith(granted);
        }
        return [.. grants];
    }

    /// <summary>True when the role exists.</summary>
    public bool Exists(string role)
        => string.Equals(role, Permissions.AdminRole, StringComparison.OrdinalIgnoreCase) || options.CurrentValue.Roles.ContainsKey(role);
}

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
