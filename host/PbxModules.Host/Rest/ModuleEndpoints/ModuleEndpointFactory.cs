using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using TagsAttribute = Microsoft.AspNetCore.Http.TagsAttribute;
using Microsoft.AspNetCore.Routing.Patterns;
using PbxModules.Host.Auth;
using PbxModules.Host.Draining;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Turns a module's <see cref="ContributionKind.RestResource"/> contributions into route endpoints
/// under <c>/pbxcore/api/v3/&lt;module-id&gt;/</c>: one per <see cref="HttpMappingAttribute"/>, bound the minimal-API
/// way by <see cref="RequestDelegateFactory"/> against the module's container, guarded by the
/// <see cref="ResourceSecurityAttribute"/> permission. Refuses, with a message that says what to
/// change, a resource that breaks the SDK's <see cref="ApiResourceRules"/> (the ones
/// <c>AddApiResource</c> checks), a path that repeats the module id, a reserved module id and a
/// route mapped twice.
/// </summary>
internal sealed partial class ModuleEndpointFactory(IServiceProvider hostServices, ILoggerFactory loggerFactory, Microsoft.Extensions.Options.IOptions<RestOptions> rest, TimeProvider time)
{
    /// <summary>Builds the endpoint set of one module.</summary>
    /// <exception cref="ModuleRestException">The module's resources break a rule.</exception>
    public ModuleEndpointSet Build(string moduleId, IServiceProvider moduleServices, IReadOnlyList<ModuleContribution> contributions)
    {
        var jsonOptions = new JsonOptions();
        ApiJson.Configure(jsonOptions.SerializerOptions);
        var json = jsonOptions.SerializerOptions;
        var binding = new ModuleBindingServices(moduleServices, jsonOptions);
        var validator = new DtoValidator(json);
        var gate = new ModuleWorkGate(time);
        var logger = loggerFactory.CreateLogger("PbxModules.Host.Rest.ModuleEndpoints");

        var endpoints = new List<Endpoint>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var contribution in contributions.Where(c => c.Kind == ContributionKind.RestResource))
        {
            var shape = Check(contribution.ImplementationType);
            var path = CheckPath(moduleId, shape);
            foreach (var mapped in shape.Methods)
            {
                var pattern = RoutePatternFactory.Parse($"{RestPaths.Base}/{path}{mapped.RouteSuffix}");
                var key = $"{mapped.Verb} {Normalize(pattern)}";
                var display = $"{mapped.Verb} {pattern.RawText}";
                if (!keys.TryAdd(key, display))
                    throw new ModuleRestException($"{display} ({mapped.Where}) is mapped twice in module '{moduleId}'; {keys[key]} already answers it.");

                endpoints.Add(CreateEndpoint(moduleId, shape, mapped, pattern, display, binding, json, validator, gate, moduleServices, logger));
            }
        }
        return new ModuleEndpointSet(moduleId, endpoints, keys, json, gate);
    }

    private RouteEndpoint CreateEndpoint(
        string moduleId, ApiResourceShape shape, ApiMethodShape mapped, RoutePattern pattern, string display, ModuleBindingServices binding,
        JsonSerializerOptions json, DtoValidator validator, ModuleWorkGate gate, IServiceProvider moduleServices, ILogger logger)
    {
        var (type, method, mapping, verb, permission) = (shape.Type, mapped.Method, mapped.Mapping, mapped.Verb, mapped.Permission);
        var builder = new RouteEndpointBuilder(requestDelegate: null, pattern, order: 0)
        {
            DisplayName = $"{display} ({moduleId}: {type.Name}.{method.Name})",
            ApplicationServices = hostServices,
        };
        builder.Metadata.Add(method);
        builder.Metadata.Add(new HttpMethodMetadata([verb]));
        builder.Metadata.Add(new TagsAttribute(moduleId));
        if (mapping.Summary is { Length: > 0 } summary) builder.Metadata.Add(new EndpointSummaryAttribute(summary));
        if (shape.Resource.Description is { Length: > 0 } description) builder.Metadata.Add(new EndpointDescriptionAttribute(description));
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
            object? value;
            try
            {
                value = await next(invocation);
            }
            finally
            {
                ModuleEndpointInvoker.EndModuleCode(invocation.HttpContext);
            }
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

    // The rules that hold for any module are the SDK's, so that AddApiResource and the host say the same thing.
    private static ApiResourceShape Check(Type type)
    {
        try
        {
            return ApiResourceRules.Check(type);
        }
        catch (ApiResourceRuleException ex)
        {
            throw new ModuleRestException(ex.Message);
        }
    }

    // The host puts the module id in front of every path; a path that starts with it would repeat
    // it (/module-black-list/module-black-list/numbers), which is nearly always a path written as
    // if it were absolute. Refusing says what to write instead of serving a surprising URL.
    private static string CheckPath(string moduleId, ApiResourceShape shape)
    {
        if (RestPaths.ReservedSegments.Contains(moduleId))
            throw new ModuleRestException($"Module id '{moduleId}' is a path the host's own API uses (/pbxcore/api/v3/{moduleId}); its REST resources cannot be mapped. Rename the module.");
        var segments = shape.Path.Split('/');
        if (segments[0] == moduleId)
        {
            var relative = segments.Length > 1 ? string.Join('/', segments[1..]) : "numbers";
            throw new ModuleRestException($"{shape.Type.FullName} declares [ApiResource(\"{shape.Path}\")], which repeats the module id: resource paths are relative to the module. Write [ApiResource(\"{relative}\")]; the host serves it at {RestPaths.Base}/{moduleId}/{relative}.");
        }
        return $"{moduleId}/{shape.Path}";
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
}
