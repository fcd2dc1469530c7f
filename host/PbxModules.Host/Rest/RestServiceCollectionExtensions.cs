using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.Extensions.Options;
using PbxModules.Host.Auth;
using PbxModules.Host.Rest.ModuleEndpoints;
using PbxModules.Host.Modules;
using Scalar.AspNetCore;

namespace PbxModules.Host.Rest;

/// <summary>
/// Wiring of <c>/pbxcore/api/v3</c>: authentication and permissions, the core endpoints (modules,
/// auth, API keys), module resources appearing and disappearing with their modules, the OpenAPI
/// document and its reference page.
/// </summary>
public static class RestServiceCollectionExtensions
{
    /// <summary>Adds the REST surface's services.</summary>
    public static IServiceCollection AddPbxRest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPbxAuth(configuration);
        services.AddHostedService<UnixSocket.UnixSocketPermissions>();
        // Core endpoints throw on a body they cannot bind; the error middleware answers in the API's shape.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<ModuleEndpointDataSource>();
        services.AddSingleton<ModuleEndpointFactory>();
        services.AddSingleton<IModuleActivationListener, ModuleRestActivationListener>();
        services.AddOpenApi(ApiDocument.Name, ApiDocument.Configure);
        services.AddSingleton<Microsoft.AspNetCore.Mvc.Infrastructure.IActionDescriptorChangeProvider, ModuleEndpointsChangeProvider>();
        return services;
    }

    /// <summary>Adds the API's error shaping, authentication and authorization to the pipeline.</summary>
    public static IApplicationBuilder UsePbxRest(this IApplicationBuilder app)
    {
        app.UseMiddleware<PbxApiErrorMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Maps the core endpoints, the module endpoint source, the OpenAPI document and the reference page;
    /// returns the API's route group, into which other folders map their core endpoints (their first
    /// path segment must be one of <see cref="RestPaths.ReservedSegments"/>).
    /// </summary>
    public static RouteGroupBuilder MapPbxRest(this IEndpointRouteBuilder endpoints)
    {
        // Every core endpoint in this group needs an authenticated caller unless it says otherwise
        // (login); each one also names its permission. Bodies are limited to Rest:MaxJsonBodyBytes
        // unless an endpoint says otherwise.
        var rest = endpoints.ServiceProvider.GetRequiredService<IOptions<RestOptions>>().Value;
        var api = endpoints.MapGroup(RestPaths.Base).RequireAuthorization(Permissions.Authenticated)
            .WithMetadata(new RequestBodyLimit(rest.MaxJsonBodyBytes));
        api.MapModulesEndpoints();
        api.MapAuthEndpoints();
        endpoints.DataSources.Add(endpoints.ServiceProvider.GetRequiredService<ModuleEndpointDataSource>());

        var document = endpoints.MapOpenApi(RestPaths.OpenApiDocument).RequireAuthorization(Permissions.Authenticated);
        // MapOpenApi takes the document name from a {documentName} route value and otherwise from the
        // query string, defaulting to "v1"; this route has one document, the v3 API's.
        ((RouteHandlerBuilder)document).AddEndpointFilter((invocation, next) =>
        {
            for (var i = 0; i < invocation.Arguments.Count; i++)
            {
                if (invocation.Arguments[i] is string) invocation.Arguments[i] = ApiDocument.Name;
            }
            return next(invocation);
        });
        // The reference page is a static shell; the document it loads needs a credential (or trusted
        // loopback). It is this product's page: no hosted-service buttons, AI agent or telemetry.
        endpoints.MapScalarApiReference(RestPaths.Docs, o => o
            .WithTitle(ApiDocument.Title)
            .WithOpenApiRoutePattern(RestPaths.OpenApiDocument)
            .AddDocument(ApiDocument.Name, ApiDocument.Title, RestPaths.OpenApiDocument, isDefault: true)
            .HideDeveloperTools()
            .DisableAgent()
            .HideClientButton()
            .WithDotNetFlag(false)
            .DisableTelemetry())
            .AllowAnonymous();
        return api;
    }
}
