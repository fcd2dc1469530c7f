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

    /// <summary>The dialplan the host wrote (Dialplan/DialplanEndpoints).</summary>
    public const string Dialplan = "dialplan";

    /// <summary>
    /// First path segments the host's own endpoints use (or keep for themselves): a module whose id is
    /// one of these would shadow or be shadowed by a core route, so its manifest is refused
    /// (<see cref="Modules.ManifestValidator"/>) and so would its resources be. Every core route
    /// under <see cref="Base"/> starts with one of them (a test checks).
    /// </summary>
    public static readonly IReadOnlySet<string> ReservedSegments = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "modules", "auth", "api-keys", "openapi.json", "docs", "users", "system", Dialplan,
    };
}
