using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PbxModules.Host.Modules;
using PbxModules.Host.Rest;
using PbxModules.Host.Rest.ModuleEndpoints;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Rest;

namespace PbxModules.Host.Tests.Rest.ModuleEndpoints;

/// <summary>
/// What the host refuses to map, with a reason that says what to change: a path outside the
/// module's id, a method without a permission, a route mapped twice, a route another module maps,
/// a method that does not answer PbxApiResult, a reserved module id.
/// </summary>
public sealed class ResourceRulesTests
{
    [Fact]
    public void A_resource_outside_the_module_id_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(OutsideResource)));
        Assert.Contains("must start with its id", ex.Message, StringComparison.Ordinal);
        Assert.Contains("my-mod/things", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_without_ResourceSecurity_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(UnsecuredResource)));
        Assert.Contains("[ResourceSecurity", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UnsecuredResource.Delete), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_mapped_twice_in_a_module_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(ThingsResource), typeof(SameRouteResource)));
        Assert.Contains("mapped twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_that_does_not_answer_PbxApiResult_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(WrongReturnResource)));
        Assert.Contains("PbxApiResult", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_permission_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(BadPermissionResource)));
        Assert.Contains("Resource:Action", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_whose_id_is_a_core_path_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("modules", typeof(CorePathResource)));
        Assert.Contains("host's own API", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_another_module_maps_is_refused_and_the_first_module_keeps_it()
    {
        var source = new ModuleEndpointDataSource();
        var first = Build("my-mod", typeof(ThingsResource));
        source.Add(first);
        // Same routes under another module id: only reachable if ids could overlap; the source checks anyway.
        var second = new ModuleEndpointSet("other-mod", first.Endpoints, first.RouteKeys, first.Json, new ModuleCallGate());
        var ex = Assert.Throws<ModuleRestException>(() => source.Add(second));
        Assert.Contains("collides", ex.Message, StringComparison.Ordinal);
        Assert.Contains("my-mod", ex.Message, StringComparison.Ordinal);
        Assert.Equal(first.Endpoints.Count, source.Endpoints.Count);
        Assert.Equal(["my-mod"], source.ModuleIds);
    }

    [Fact]
    public void Routes_follow_the_MikoPBX_shape()
    {
        var set = Build("my-mod", typeof(ThingsResource));
        var routes = set.Endpoints.Cast<RouteEndpoint>()
            .Select(e => $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]} {e.RoutePattern.RawText}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "GET /pbxcore/api/v3/my-mod/things",
            "GET /pbxcore/api/v3/my-mod/things/{id}",
            "POST /pbxcore/api/v3/my-mod/things:import",
        ], routes);
        Assert.All(set.Endpoints, e => Assert.Equal("Things:Read", e.Metadata.GetMetadata<ModuleEndpointMetadata>()!.Permission));
    }

    [Fact]
    public async Task A_module_with_a_refused_resource_is_failed_with_the_reason_and_the_host_serves_on()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:test-rest:RegisterOutsideResource"] = "true" }, requireModuleEnabled: false);
        var module = host.Manager.GetModule(RestHost.ModuleId)!;
        Assert.Equal(ModuleState.Failed, module.State);
        Assert.Contains("someone-else/numbers", module.FailureReason, StringComparison.Ordinal);
        Assert.Contains("must start with its id", module.FailureReason, StringComparison.Ordinal);

        using var admin = await host.AdminAsync();
        using var numbers = await admin.GetAsync("/pbxcore/api/v3/test-rest/numbers");
        Assert.Equal(HttpStatusCode.NotFound, numbers.StatusCode);
        using var modules = await admin.GetAsync("/pbxcore/api/v3/modules");
        Assert.Equal(HttpStatusCode.OK, modules.StatusCode);
        var listed = JsonDocument.Parse(await modules.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == RestHost.ModuleId);
        Assert.Equal("Failed", listed.GetProperty("state").GetString());
    }

    private static ModuleEndpointSet Build(string moduleId, params Type[] resources)
    {
        var services = new ServiceCollection();
        foreach (var resource in resources) services.AddScoped(resource);
        var contributions = resources.Select(r => new ModuleContribution(ContributionKind.RestResource, r, r.Name)).ToList();
        var module = services.BuildServiceProvider();
        var factory = new ModuleEndpointFactory(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance, Microsoft.Extensions.Options.Options.Create(new PbxModules.Host.Rest.RestOptions()));
        return factory.Build(moduleId, module, contributions);
    }

    [ApiResource("someone-else/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class OutsideResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("my-mod/things")]
    public sealed class UnsecuredResource
    {
        [HttpMapping("GET")]
        [ResourceSecurity("Things:Read")]
        public PbxApiResult List() => PbxApiResult.Ok();

        [HttpMapping("DELETE", "{id}")]
        public PbxApiResult Delete(int id) => PbxApiResult.Ok(id);
    }

    [ApiResource("my-mod/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class ThingsResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List(ApiListQuery query) => query.ToPage(Array.Empty<int>());

        [HttpMapping("GET", "{id}")]
        public PbxApiResult Get(int id) => PbxApiResult.Ok(id);

        [HttpMapping("POST", ":import")]
        public Task<PbxApiResult> Import(List<int> ids) => Task.FromResult(PbxApiResult.Ok(ids.Count));
    }

    [ApiResource("my-mod/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class SameRouteResource
    {
        [HttpMapping("GET", "{thingId}")]
        public PbxApiResult Get(int thingId) => PbxApiResult.Ok(thingId);
    }

    [ApiResource("my-mod/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class WrongReturnResource
    {
        [HttpMapping("GET")]
        public string List() => "[]";
    }

    [ApiResource("my-mod/things")]
    [ResourceSecurity("read things")]
    public sealed class BadPermissionResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("modules/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class CorePathResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }
}
