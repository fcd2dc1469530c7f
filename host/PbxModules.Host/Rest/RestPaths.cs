namespace PbxModules.Host.Rest;

/// <summary>Where things live under <c>/pbxcore/api/v3</c>.</summary>
internal static class RestPaths
{
    /// <summary>The root of the API.</summary>
    public const string Base = "/pbxcore/api/v3";

    /// <summary>The OpenAPI document.</summary>
    public const string OpenApiDocument = Base + "/openapi.json";

    /// <summary>The browsable API reference (Scalar).</summary>
    public const string Docs = Base + "/docs";

    /// <summary>
    /// First path segments the host's own endpoints use: a module whose id is one of these would
    /// shadow or be shadowed by a core route, so such a resource is refused.
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedSegments = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "modules", "auth", "api-keys", "openapi.json", "docs", "users", "system",
    };
}
