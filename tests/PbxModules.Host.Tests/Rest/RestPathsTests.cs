using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Rest;
using PbxModules.Host.Rest.ModuleEndpoints;

namespace PbxModules.Host.Tests.Rest;

/// <summary>
/// The host's own routes under <c>/pbxcore/api/v3</c> keep to the reserved first segments, so that no
/// module id (refused by the manifest validator when reserved) can collide with one; the dialplan
/// endpoint is one of them, mapped in the API's route group at its usual URL (AuthTests: not without credentials).
/// </summary>
public sealed class RestPathsTests : AdminRestHostTests
{
    [Fact]
    public void Every_core_route_under_the_API_starts_with_a_reserved_segment()
    {
        var segments = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ModuleEndpointMetadata>() is null)
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.StartsWith(RestPaths.Base + "/", StringComparison.Ordinal))
            .Select(p => p[(RestPaths.Base.Length + 1)..].Split('/', ':')[0])
            .Distinct()
            .ToList();

        Assert.Contains(RestPaths.Dialplan, segments);
        Assert.All(segments, s => Assert.Contains(s, RestPaths.ReservedSegments));
    }

    [Fact]
    public async Task The_dialplan_answers_at_its_URL()
    {
        using var answer = await Admin.GetAsync("/pbxcore/api/v3/dialplan");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True((await RestHost.BodyAsync(answer)).GetProperty("data").TryGetProperty("integration", out _));
    }
}
