using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using TagsAttribute = Microsoft.AspNetCore.Http.TagsAttribute;
using Microsoft.AspNetCore.Routing.Patterns;
using PbxModules.Host.Auth;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Turns a module's <see cref="ContributionKind.RestResource"/> contributions into route endpoints
/// under <c>/pbxcore/api/v3/</c>: one per <see cref="HttpMappingAttribute"/>, bound the minimal-API
/// way by <see cref="RequestDelegateFactory"/> against the module's container, guarded by the
/// <see cref="ResourceSecurityAttribute"/> permission. Refuses, with a message that says what to
/// change, a resource outside the module's id, a method without a permission, a route that does not
/// parse or is mapped twice, and a method that does not answer <see cref="PbxApiResult"/>.
/// </summary>
internal sealed partial class ModuleEndpointFactory(IServiceProvider hostServices, ILoggerFactory loggerFactory, Microsoft.Extensions.Options.IOptions<RestOptions> rest)
{
    private static readonly HashSet<string> Verbs = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Builds the endpoint set of one module.</summary>
    /// <exception cref="ModuleRestException">The module's resources break a rule.</exception>
    public ModuleEndpointSet Build(string moduleId, IServiceProvider moduleServices, IReadOnlyList<ModuleContribution> contributions)
    {
        var jsonOptions = new JsonOptions();
        ApiJson.Configure(jsonOptions.SerializerOptions);
        var json = jsonOptions.SerializerOptions;
        var binding = new ModuleBindingServices(moduleServices, jsonOptions);
        var validator = new DtoValidator(json);
        var gate = new ModuleCallGate();
        var logger = loggerFactory.CreateLogger("PbxModules.Host.Rest.ModuleEndpoints");

        var endpoints = new List<Endpoint>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var contribution in contributions.Where(c => c.Kind == ContributionKind.RestResource))
        {
            var type = contribution.ImplementationType;
            var resource = type.GetCustomAttribute<ApiResourceAttribute>()
                ?? throw new ModuleRestException($"{type.FullName} is registered as a REST resource but has no [ApiResource(\"{moduleId}/…\")] attribute.");
            var path = CheckPath(moduleId, type, resource.Path);
            var classPermission = type.GetCustomAttribute<ResourceSecurityAttribute>()?.Permission;

            var mapped = 0;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (var mapping in method.GetCustomAttributes<HttpMappingAttribute>())
                {
                    var where = $"{type.Name}.{method.Name}";
                    var verb = mapping.Method.Trim().ToUpperInvariant();
                    if (!Verbs.Contains(verb))
                        throw new ModuleRestException($"{where} maps HTTP method '{mapping.Method}'; use GET, POST, PUT, PATCH or DELETE.");
                    var permission = method.GetCustomAttribute<ResourceSecurityAttribute>()?.Permission ?? classPermission
                        ?? throw new ModuleRestException($"{where} ({verb} {path}{Suffix(mapping.Route)}) has no [ResourceSecurity(\"Resource:Action\")] on the method or its class. Every module endpoint must name the permission it needs.");
                    if (!Permissions.IsValid(permission))
                        throw new ModuleRestException($"{where} asks for permission '{permission}'; write it as Resource:Action with letters and digits, e.g. 'BlackList:Read'.");
                    CheckSignature(method, where);
                    if (mapping.MaxRequestBodyBytes < 0)
                        throw new ModuleRestException($"{where} declares MaxRequestBodyBytes = {mapping.MaxRequestBodyBytes}; use 0 for the host's default or a positive number of bytes.");

                    var pattern = Parse($"{RestPaths.Base}/{path}{Suffix(mapping.Route)}", where);
                    var key = $"{verb} {Normalize(pattern)}";
                    var display = $"{verb} {pattern.RawText}";
                    if (!keys.TryAdd(key, display))
                        throw new ModuleRestException($"{display} ({where}) is mapped twice in module '{moduleId}'; {keys[key]} already answers it.");

                    endpoints.Add(CreateEndpoint(moduleId, type, method, mapping, resource, verb, permission, pattern, display, binding, json, validator, gate, moduleServices, logger));
                    mapped++;
                }
            }
            if (mapped == 0)
                throw new ModuleRestException($"{type.FullName} ([ApiResource(\"{resource.Path}\")]) has no public method with [HttpMapping]; add one or do not register the resource.");
        }
        return new ModuleEndpointSet(moduleId, endpoints, keys, json, gate);
    }

    private RouteEndpoint CreateEndpoint(
        string moduleId, Type type, MethodInfo method, HttpMappingAttribute mapping, ApiResourceAttribute resource, string verb, string permission,
        RoutePattern pattern, string display, ModuleBindingServices binding, JsonSerializerOptions json, DtoValidator validator, ModuleCallGate gate,
        IServiceProvider moduleServices, ILogger logger)
    {
        var builder = new RouteEndpointBuilder(requestDelegate: null, pattern, order: 0)
        {
            DisplayName = $"{display} ({moduleId}: {type.Name}.{method.Name})",
            ApplicationServices = hostServices,
        };
        builder.Metadata.Add(method);
        builder.Metadata.Add(new HttpMethodMetadata([verb]));
        builder.Metadata.Add(new TagsAttribute(moduleId));
        if (mapping.Summary is { Length: > 0 } summary) builder.Metadata.Add(new EndpointSummaryAttribute(summary));
        if (resource.Description is { Length: > 0 } description) builder.Metadata.Add(new EndpointDescriptionAttribute(description));
        builder.Metadata.Add(new ModuleEndpointMetadata(moduleId, permission));
        builder.Metadata.Add(new RequestBodyLimit(mapping.MaxRequestBodyBytes > 0 ? mapping.MaxRequestBodyBytes : rest.Value.MaxJsonBodyBytes));
        builder.Metadata.Add(Permissions.Policy(permission));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(PbxApiResult), ["application/json"]));

        // Validation and the PbxApiResult → status code translation run as an endpoint filter, so
        // they see the bound arguments and the returned value without a second binding pass.
        var validated = method.GetParameters().Select(p => ShouldValidate(p, binding)).ToArray();
        builder.FilterFactories.Add((_, next) => async invocation =>
        {
            Dictionary<string, List<string>>? errors = null;
            for (var i = 0; i < validated.Length && i < invocation.Arguments.Count; i++)
            {
                if (!validated[i]) continue;
                errors ??= [];
                validator.Validate(invocation.Arguments[i], errors);
            }
            if (errors is { Count: > 0 })
                return new PbxApiHttpResult(PbxApiResult.ValidationFailed(errors.ToDictionary(e => e.Key, e => e.Value.ToArray())), json);
            var value = await next(invocation);
            return value is PbxApiResult result ? new PbxApiHttpResult(result, json) : value;
        });

        var options = new RequestDelegateFactoryOptions
        {
            ServiceProvider = binding,
            RouteParameterNames = [.. pattern.Parameters.Select(p => p.Name)],
            ThrowOnBadRequest = true,
            EndpointBuilder = builder,
        };
        RequestDelegateResult created;
        try
        {
            var metadata = RequestDelegateFactory.InferMetadata(method, options);
            created = RequestDelegateFactory.Create(method, context => context.RequestServices.GetRequiredService(type), options, metadata);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new ModuleRestException($"{type.Name}.{method.Name} ({display}) cannot be bound: {ex.Message}");
        }

        var invoker = new ModuleEndpointInvoker(moduleId, display, gate, moduleServices, created.RequestDelegate, json, logger);
        builder.RequestDelegate = invoker.InvokeAsync;
        return (RouteEndpoint)builder.Build();
    }

    private static bool ShouldValidate(ParameterInfo parameter, IServiceProviderIsService services)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type.IsValueType && type.Namespace == "System") return false;
        if (type == typeof(HttpContext) || type == typeof(HttpRequest) || type == typeof(HttpResponse) || type == typeof(CancellationToken)
            || type == typeof(ClaimsPrincipal) || type == typeof(ApiListQuery) || typeof(IFormFile).IsAssignableFrom(type) || type == typeof(IFormCollection)) return false;
        if (parameter.GetCustomAttributes().Any(a => a is IFromServiceMetadata or IFromRouteMetadata or IFromQueryMetadata or IFromHeaderMetadata or FromKeyedServicesAttribute)) return false;
        return !services.IsService(type);
    }

    private static string CheckPath(string moduleId, Type type, string? rawPath)
    {
        var path = rawPath?.Trim().Trim('/') ?? "";
        if (path != moduleId && !path.StartsWith(moduleId + "/", StringComparison.Ordinal))
            throw new ModuleRestException($"{type.FullName} declares [ApiResource(\"{rawPath}\")], which is outside the module: a module's REST paths must start with its id, e.g. \"{moduleId}/{LastSegment(path)}\".");
        if (!PathShape().IsMatch(path))
            throw new ModuleRestException($"{type.FullName} declares [ApiResource(\"{rawPath}\")]; use lower-case segments of letters, digits and dashes, e.g. \"{moduleId}/numbers\".");
        if (RestPaths.ReservedSegments.Contains(moduleId))
            throw new ModuleRestException($"Module id '{moduleId}' is a path the host's own API uses (/pbxcore/api/v3/{moduleId}); its REST resources cannot be mapped. Rename the module.");
        return path;
    }

    private static void CheckSignature(MethodInfo method, string where)
    {
        if (method.IsGenericMethodDefinition)
            throw new ModuleRestException($"{where} is generic; REST methods cannot be.");
        var returns = method.ReturnType;
        if (returns != typeof(PbxApiResult) && returns != typeof(Task<PbxApiResult>) && returns != typeof(ValueTask<PbxApiResult>))
            throw new ModuleRestException($"{where} returns {returns.Name}; a REST method returns PbxApiResult, Task<PbxApiResult> or ValueTask<PbxApiResult>, so that every answer has the API's shape.");
    }

    private static RoutePattern Parse(string pattern, string where)
    {
        try
        {
            return RoutePatternFactory.Parse(pattern);
        }
        catch (RoutePatternException ex)
        {
            throw new ModuleRestException($"{where} maps route '{pattern}', which does not parse: {ex.Message}");
        }
    }

    // "" → the collection; ":import" → a custom method of the collection; "{id}" or "{id}:block" → below it.
    private static string Suffix(string? route)
    {
        var r = route?.Trim() ?? "";
        if (r.Length == 0) return "";
        return r.StartsWith(':') ? r : "/" + r.TrimStart('/');
    }

    // Two patterns that differ only in parameter names or constraints match the same requests.
    private static string Normalize(RoutePattern pattern)
        => string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content.ToLowerInvariant(),
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "{**}",
            _ => "{}",
        }))));

    private static string LastSegment(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "resource";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$")]
    private static partial Regex PathShape();
}
