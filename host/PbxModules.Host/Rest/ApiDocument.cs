using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;

namespace PbxModules.Host.Rest;

/// <summary>The OpenAPI document at <c>/pbxcore/api/v3/openapi.json</c>: title, version and the two ways to authenticate.</summary>
internal static class ApiDocument
{
    /// <summary>The document name: the API's version.</summary>
    public const string Name = "v3";

    /// <summary>The document's title, also the reference page's.</summary>
    public const string Title = "PbxModules API v3";

    /// <summary>
    /// Makes the OpenAPI services forget a disabled module: the API descriptions are rebuilt now
    /// (without its endpoints) rather than at the next document request, and the document and schema
    /// services' caches (keyed by its types, or by descriptions of its endpoints) drop its entries.
    /// Returns how many cache entries went.
    /// </summary>
    public static int ForgetModule(IServiceProvider services, System.Runtime.Loader.AssemblyLoadContext module)
    {
        _ = services.GetService<Microsoft.AspNetCore.Mvc.ApiExplorer.IApiDescriptionGroupCollectionProvider>()?.ApiDescriptionGroups;
        var removed = 0;
        if (services is not IKeyedServiceProvider keyed) return removed;
        foreach (var name in (string[])["Microsoft.AspNetCore.OpenApi.OpenApiDocumentService", "Microsoft.AspNetCore.OpenApi.OpenApiSchemaService"])
        {
            if (typeof(OpenApiOptions).Assembly.GetType(name) is { } type && keyed.GetKeyedService(type, Name) is { } service)
                removed += BindingCacheScrubber.ScrubObject(service, module);
        }
        return removed;
    }

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith(RestPaths.Base.TrimStart('/'), StringComparison.Ordinal) ?? false;
        options.AddOperationTransformer(ApiContentTransformer.TransformAsync);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = Title,
                Version = "v3",
                Description = "The core endpoints and the REST resources of the enabled modules. Authenticate with a bearer access token (POST /pbxcore/api/v3/auth:login) or an API key (X-Api-Key).",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Access token from auth:login or auth:refresh (15 minutes).",
            };
            document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "An API key (64 hex characters) from POST /pbxcore/api/v3/api-keys.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
            return Task.CompletedTask;
        });
    }
}
