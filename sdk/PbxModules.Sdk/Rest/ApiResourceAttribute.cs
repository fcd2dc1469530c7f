namespace PbxModules.Sdk.Rest;

/// <summary>
/// Marks a class as a REST resource of the module, e.g. <c>[ApiResource("numbers")]</c>, which the
/// host serves at <c>/pbxcore/api/v3/&lt;module-id&gt;/numbers</c>. Its methods marked with
/// <see cref="HttpMappingAttribute"/> become endpoints. The path is relative to the module: the host
/// puts the module id in front, so a path that starts with the module id is refused (it would
/// repeat it). Register the class with
/// <see cref="Modules.ModuleServiceCollectionExtensions.AddApiResource{TResource}"/>, which checks it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ApiResourceAttribute : Attribute
{
    /// <summary>Declares the resource path.</summary>
    /// <param name="path">Relative to the module: lower-case segments of letters, digits and dashes, e.g. <c>numbers</c> or <c>calls/stats</c>.</param>
    public ApiResourceAttribute(string path) => Path = path;

    /// <summary>The resource path, relative to <c>/pbxcore/api/v3/&lt;module-id&gt;/</c>.</summary>
    public string Path { get; }

    /// <summary>A short description for the OpenAPI document.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// Maps a method of an <see cref="ApiResourceAttribute"/> class to an HTTP method and a route
/// relative to the resource, following MikoPBX's URL shape:
/// <list type="table">
/// <item><term><c>[HttpMapping("GET")]</c></term><description>getList: <c>GET …/numbers</c></description></item>
/// <item><term><c>[HttpMapping("GET", "{id}")]</c></term><description>getRecord: <c>GET …/numbers/{id}</c></description></item>
/// <item><term><c>[HttpMapping("POST")]</c></term><description>create</description></item>
/// <item><term><c>[HttpMapping("PUT", "{id}")]</c></term><description>update</description></item>
/// <item><term><c>[HttpMapping("PATCH", "{id}")]</c></term><description>patch</description></item>
/// <item><term><c>[HttpMapping("DELETE", "{id}")]</c></term><description>delete</description></item>
/// <item><term><c>[HttpMapping("POST", ":import")]</c></term><description>a custom method: <c>POST …/numbers:import</c></description></item>
/// </list>
/// Parameters bind the ASP.NET Core minimal-API way (route, query, body, services).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class HttpMappingAttribute : Attribute
{
    /// <summary>Declares the mapping.</summary>
    /// <param name="method">GET, POST, PUT, PATCH or DELETE.</param>
    /// <param name="route">Empty for the collection, <c>{id}</c> for a record, <c>:name</c> for a custom method.</param>
    public HttpMappingAttribute(string method, string route = "")
    {
        Method = method;
        Route = route;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The route relative to the resource.</summary>
    public string Route { get; }

    /// <summary>A one-line summary for the OpenAPI document.</summary>
    public string? Summary { get; init; }

    /// <summary>
    /// The largest request body this endpoint takes, in bytes; 0 (the default) means the host's
    /// default for JSON bodies (<c>Rest:MaxJsonBodyBytes</c>, 1 MB). A larger body is refused with
    /// 413 before it is read. Declare it for endpoints that take files, e.g.
    /// <c>MaxRequestBodyBytes = 10 * 1024 * 1024</c> for an import.
    /// </summary>
    public long MaxRequestBodyBytes { get; init; }
}

/// <summary>
/// The permission a caller needs, as <c>Resource:Action</c> (e.g. <c>BlackList:Read</c>). On a
/// class it applies to every method without one of its own. Every module endpoint needs one.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ResourceSecurityAttribute : Attribute
{
    /// <summary>Declares the permission.</summary>
    public ResourceSecurityAttribute(string permission) => Permission = permission;

    /// <summary>The permission, <c>Resource:Action</c>.</summary>
    public string Permission { get; }
}
