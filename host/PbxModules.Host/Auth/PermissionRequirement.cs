using Microsoft.AspNetCore.Authorization;

namespace PbxModules.Host.Auth;

/// <summary>The caller must hold <see cref="Permission"/>.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;
