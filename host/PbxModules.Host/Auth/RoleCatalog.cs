namespace PbxModules.Host.Auth;

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
