using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Host.Auth;

namespace PbxModules.Host.Health;

/// <summary>
/// <c>GET /healthz</c>: liveness plus the status of each component, as JSON. Anyone gets the
/// statuses; descriptions and data (paths, the AMI endpoint, Asterisk's banner) need
/// <see cref="Permissions.SystemRead"/>, from a credential or trusted loopback.
/// </summary>
internal static class HealthEndpoints
{
    public static IServiceCollection AddPbxHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ModulesHealthCheck>("modules")
            .AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    public static IEndpointRouteBuilder MapPbxHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            // Degraded (a module failed, AMI down) is still alive: only Unhealthy answers 503.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        });
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        // The authentication middleware has run the daemon's scheme already: User is the caller (or nobody).
        var detailed = context.User.Identity?.IsAuthenticated == true
            && Permissions.Covers(context.User.FindAll(PbxClaims.Permission).Select(c => c.Value), Permissions.SystemRead);
        if (!detailed)
        {
            var bare = new
            {
                status = report.Status.ToString(),
                components = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }),
            };
            return JsonSerializer.SerializeAsync(context.Response.Body, bare, JsonOptions, context.RequestAborted);
        }
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            components = report.Entries.ToDictionary(
                e => e.Key,
                e => new
                {
                    status = e.Value.Status.ToString(),
                    description = e.Value.Description,
                    data = e.Value.Data.Count == 0 ? null : e.Value.Data,
                }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonOptions, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
