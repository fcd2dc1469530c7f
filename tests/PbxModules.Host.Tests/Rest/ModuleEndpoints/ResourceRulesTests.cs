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
/// What the host refuses to map, with a reason that says what to change: a path that repeats the
/// module id (paths are relative), a method without a permission, a route mapped twice, a route
/// another module maps, a reserved module id. The rules the host shares with AddApiResource (the
/// permission's shape, the return type, the verb, the route) are tested with the SDK
/// (PbxModules.Sdk.Tests, AddApiResourceTests); the unsecured method here shows that the host
/// applies them to a contribution that did not come through AddApiResource.
/// </summary>
public sealed class ResourceRulesTests
{
    [Fact]
    public void A_path_that_repeats_the_module_id_is_refused_saying_what_to_write()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(ModuleIdPathResource)));
        Assert.Contains("repeats the module id", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[ApiResource(\"things\")]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/pbxcore/api/v3/my-mod/things", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_is_not_relative_is_refused()
    {
        var ex = Assert.Throws<ModuleRestException>(() => Build("my-mod", typeof(LeadingSlashResource)));
        Assert.Contains("relative to the module", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(LeadingSlashResource).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_that_starts_like_the_module_id_is_only_a_nested_path()
    {
        var set = Build("my-mod", typeof(NestedResource));
        var route = Assert.Single(set.Endpoints.Cast<RouteEndpoint>()).RoutePattern.RawText;
        Assert.Equal("/pbxcore/api/v3/my-mod/my-mod-things/all", route);
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
        var second = new ModuleEndpointSet("other-mod", first.Endpoints, first.RouteKeys, first.Json, new PbxModules.Host.Draining.ModuleWorkGate(TimeProvider.System));
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
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:test-rest:RegisterModuleIdPathResource"] = "true" }, requireModuleEnabled: false);
        var module = host.Manager.Registry.GetModule(RestHost.ModuleId)!;
        Assert.Equal(ModuleState.Failed, module.State);
        Assert.Contains("test-rest/numbers", module.FailureReason, StringComparison.Ordinal);
        Assert.Contains("repeats the module id", module.FailureReason, StringComparison.Ordinal);

        using var admin = await host.AdminAsync();
        using var numbers = await admin.GetAsync("/pbxcore/api/v3/test-rest/numbers");
        Assert.Equal(HttpStatusCode.NotFound, numbers.StatusCode);
        using var modules = await admin.GetAsync("/pbxcore/api/v3/modules");
        Assert.Equal(HttpStatusCode.OK, modules.StatusCode);
        var listed = JsonDocument.Parse(await modules.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray().Single(m => m.GetProperty("id").GetString() == RestHost.ModuleId);
        Assert.Equal("Failed", listed.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_resource_that_registration_refuses_fails_the_module_in_ConfigureServices_naming_the_method()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?> { ["Modules:test-rest:RegisterUnsecuredResource"] = "true" }, requireModuleEnabled: false);
        var module = host.Manager.Registry.GetModule(RestHost.ModuleId)!;
        Assert.Equal(ModuleState.Failed, module.State);
        Assert.Contains("ConfigureServices", module.FailureReason, StringComparison.Ordinal);
        Assert.Contains("UnsecuredResource.List", module.FailureReason, StringComparison.Ordinal);
        Assert.Contains("[ResourceSecurity", module.FailureReason, StringComparison.Ordinal);
    }

    private static ModuleEndpointSet Build(string moduleId, params Type[] resources)
    {
        var services = new ServiceCollection();
        foreach (var resource in resources) services.AddScoped(resource);
        var contributions = resources.Select(r => new ModuleContribution(ContributionKind.RestResource, r, r.Name)).ToList();
        var module = services.BuildServiceProvider();
        var factory = new ModuleEndpointFactory(new ServiceCollection().BuildServiceProvider(), NullLoggerFactory.Instance, Microsoft.Extensions.Options.Options.Create(new PbxModules.Host.Rest.RestOptions()), TimeProvider.System);
        return factory.Build(moduleId, module, contributions);
    }

    [ApiResource("my-mod/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class ModuleIdPathResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class LeadingSlashResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("my-mod-things/all")]
    [ResourceSecurity("Things:Read")]
    public sealed class NestedResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("things")]
    public sealed class UnsecuredResource
    {
        [HttpMapping("GET")]
        [ResourceSecurity("Things:Read")]
        public PbxApiResult List() => PbxApiResult.Ok();

        [HttpMapping("DELETE", "{id}")]
        public PbxApiResult Delete(int id) => PbxApiResult.Ok(id);
    }

    [ApiResource("things")]
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

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class SameRouteResource
    {
        [HttpMapping("GET", "{thingId}")]
        public PbxApiResult Get(int thingId) => PbxApiResult.Ok(thingId);
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class CorePathResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }
}
