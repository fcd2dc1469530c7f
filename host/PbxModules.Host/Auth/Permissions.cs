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
