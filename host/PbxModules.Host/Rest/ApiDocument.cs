using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PbxModules.Host.Rest;

/// <summary>The OpenAPI document at <c>/pbxcore/api/v3/openapi.json</c>: title, version and the two ways to authenticate.</summary>
internal static class ApiDocument
{
    /// <summary>The document name: the API's version.</summary>
    public const string Name = "v3";

    /// <summary>The document's title, also the reference page's.</summary>
    public const string Title = "PbxModules API v3";

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
