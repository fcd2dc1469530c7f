using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace PbxModules.Sdk.Rest;

/// <summary>
/// The rules a REST resource class follows that do not depend on which module registers it: a
/// relative path, a known HTTP verb, a <c>Resource:Action</c> permission, a route that parses and a
/// <see cref="PbxApiResult"/> answer. <see cref="Modules.ModuleServiceCollectionExtensions.AddApiResource{TResource}"/>
/// checks them when the module registers the class, so that the author sees the mistake in
/// <c>ConfigureServices</c>; the host checks them again when it maps the class, with the same
/// messages, and adds what needs the module id (the path must not repeat it, no reserved id, no
/// route mapped twice).
/// </summary>
internal static partial class ApiResourceRules
{
    private static readonly HashSet<string> Verbs = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Checks a resource class and returns what it maps.</summary>
    /// <exception cref="ApiResourceRuleException">The class breaks a rule; the message names the type or member and what to write.</exception>
    public static ApiResourceShape Check(Type type)
    {
        var resource = type.GetCustomAttribute<ApiResourceAttribute>()
            ?? throw new ApiResourceRuleException($"{type.FullName} is registered as a REST resource but has no [ApiResource(\"resource\")] attribute, e.g. [ApiResource(\"numbers\")].");
        var path = resource.Path ?? "";
        if (!PathShape().IsMatch(path))
            throw new ApiResourceRuleException($"{type.FullName} declares [ApiResource(\"{path}\")]; write the path relative to the module, in lower-case segments of letters, digits and dashes without a leading or trailing '/', e.g. [ApiResource(\"numbers\")], which the host serves at /pbxcore/api/v3/<module-id>/numbers.");
        var classPermission = type.GetCustomAttribute<ResourceSecurityAttribute>()?.Permission;

        var methods = new List<ApiMethodShape>();
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            foreach (var mapping in method.GetCustomAttributes<HttpMappingAttribute>())
                methods.Add(CheckMapping(type, path, method, mapping, classPermission));
        }
        if (methods.Count == 0)
            throw new ApiResourceRuleException($"{type.FullName} ([ApiResource(\"{path}\")]) has no public method with [HttpMapping]; add one or do not register the resource.");
        return new ApiResourceShape(type, resource, path, methods);
    }

    /// <summary>True for a permission an endpoint may require: <c>Resource:Action</c>, letters and digits.</summary>
    public static bool IsPermission(string? permission) => permission is not null && PermissionShape().IsMatch(permission);

    private static ApiMethodShape CheckMapping(Type type, string path, MethodInfo method, HttpMappingAttribute mapping, string? classPermission)
    {
        var where = $"{type.Name}.{method.Name}";
        var verb = (mapping.Method ?? "").Trim().ToUpperInvariant();
        if (!Verbs.Contains(verb))
            throw new ApiResourceRuleException($"{where} maps HTTP method '{mapping.Method}'; use GET, POST, PUT, PATCH or DELETE.");
        var suffix = Suffix(mapping.Route);
        var permission = method.GetCustomAttribute<ResourceSecurityAttribute>()?.Permission ?? classPermission
            ?? throw new ApiResourceRuleException($"{where} ({verb} {path}{suffix}) has no [ResourceSecurity(\"Resource:Action\")] on the method or its class. Every module endpoint must name the permission it needs.");
        if (!IsPermission(permission))
            throw new ApiResourceRuleException($"{where} asks for permission '{permission}'; write it as Resource:Action with letters and digits, e.g. 'BlackList:Read'.");
        if (method.IsGenericMethodDefinition)
            throw new ApiResourceRuleException($"{where} is generic; REST methods cannot be.");
        var returns = method.ReturnType;
        if (returns != typeof(PbxApiResult) && returns != typeof(Task<PbxApiResult>) && returns != typeof(ValueTask<PbxApiResult>))
            throw new ApiResourceRuleException($"{where} returns {returns.Name}; a REST method returns PbxApiResult, Task<PbxApiResult> or ValueTask<PbxApiResult>, so that every answer has the API's shape.");
        if (mapping.MaxRequestBodyBytes < 0)
            throw new ApiResourceRuleException($"{where} declares MaxRequestBodyBytes = {mapping.MaxRequestBodyBytes}; use 0 for the host's default or a positive number of bytes.");
        var route = $"/{path}{suffix}";
        try
        {
            RoutePatternFactory.Parse(route);
        }
        catch (RoutePatternException ex)
        {
            throw new ApiResourceRuleException($"{where} maps route '{route}', which does not parse: {ex.Message}");
        }
        return new ApiMethodShape(method, mapping, verb, permission, suffix, where);
    }

    // "" → the collection; ":import" → a custom method of the collection; "{id}" or "{id}:block" → below it.
    private static string Suffix(string? route)
    {
        var r = route?.Trim() ?? "";
        if (r.Length == 0) return "";
        return r.StartsWith(':') ? r : "/" + r.TrimStart('/');
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$")]
    private static partial Regex PathShape();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*:[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex PermissionShape();
}

/// <summary>A resource class that follows <see cref="ApiResourceRules"/>.</summary>
/// <param name="Type">The class.</param>
/// <param name="Resource">Its attribute.</param>
/// <param name="Path">Its path, relative to the module.</param>
/// <param name="Methods">Its mappings, one per <see cref="HttpMappingAttribute"/>.</param>
internal sealed record ApiResourceShape(Type Type, ApiResourceAttribute Resource, string Path, IReadOnlyList<ApiMethodShape> Methods);

/// <summary>One mapping of a resource method.</summary>
/// <param name="Method">The method.</param>
/// <param name="Mapping">Its attribute.</param>
/// <param name="Verb">The HTTP method, upper case.</param>
/// <param name="Permission">The permission it needs (its own or its class's).</param>
/// <param name="RouteSuffix">What follows the resource path: empty, <c>/{id}</c> or <c>:name</c>.</param>
/// <param name="Where">Type and method, for messages.</param>
internal sealed record ApiMethodShape(MethodInfo Method, HttpMappingAttribute Mapping, string Verb, string Permission, string RouteSuffix, string Where);

/// <summary>A REST resource class breaks one of <see cref="ApiResourceRules"/>.</summary>
/// <param name="message">What is wrong and what to write instead.</param>
internal sealed class ApiResourceRuleException(string message) : InvalidOperationException(message);
