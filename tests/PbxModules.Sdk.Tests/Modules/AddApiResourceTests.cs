using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Rest;

namespace PbxModules.Sdk.Tests.Modules;

/// <summary>
/// <see cref="ModuleServiceCollectionExtensions.AddApiResource{TResource}"/> refuses a resource that
/// breaks a rule when the module registers it, naming the type or method and what to write, so that
/// the mistake shows in ConfigureServices and not as "Failed" when the module is enabled.
/// </summary>
public sealed class AddApiResourceTests
{
    [Fact]
    public void A_good_resource_is_registered_with_its_relative_path()
    {
        var services = new ServiceCollection();
        services.AddApiResource<GoodResource>();

        Assert.Contains(services, d => d.ServiceType == typeof(GoodResource) && d.Lifetime == ServiceLifetime.Scoped);
        var contribution = Assert.Single(services.GetContributions());
        Assert.Equal(ContributionKind.RestResource, contribution.Kind);
        Assert.Equal("things", contribution.Name);
    }

    [Fact]
    public void A_class_without_ApiResource_is_refused() =>
        Refused<NoAttribute>(typeof(NoAttribute).FullName!, "[ApiResource(\"numbers\")]");

    [Fact]
    public void A_path_with_a_slash_in_front_is_refused_as_not_relative() =>
        Refused<LeadingSlash>(typeof(LeadingSlash).FullName!, "relative to the module", "[ApiResource(\"numbers\")]");

    [Fact]
    public void A_path_with_upper_case_is_refused() =>
        Refused<UpperCase>(typeof(UpperCase).FullName!, "lower-case");

    [Fact]
    public void A_method_without_a_permission_is_refused() =>
        Refused<NoPermission>("NoPermission.Delete", "[ResourceSecurity(\"Resource:Action\")]");

    [Fact]
    public void A_permission_that_is_not_Resource_Action_is_refused() =>
        Refused<BadPermission>("BadPermission.List", "'read things'", "Resource:Action");

    [Fact]
    public void A_method_that_does_not_return_PbxApiResult_is_refused() =>
        Refused<WrongReturn>("WrongReturn.List", "returns String", "PbxApiResult");

    [Fact]
    public void An_unknown_HTTP_method_is_refused() =>
        Refused<UnknownVerb>("UnknownVerb.Fetch", "'FETCH'", "GET, POST, PUT, PATCH or DELETE");

    [Fact]
    public void A_route_that_does_not_parse_is_refused() =>
        Refused<BadRoute>("BadRoute.Get", "does not parse");

    [Fact]
    public void A_negative_body_limit_is_refused() =>
        Refused<NegativeLimit>("NegativeLimit.Import", "MaxRequestBodyBytes = -1");

    [Fact]
    public void A_resource_without_mapped_methods_is_refused() =>
        Refused<NoMethods>(typeof(NoMethods).FullName!, "no public method with [HttpMapping]");

    private static void Refused<TResource>(params string[] expected) where TResource : class
    {
        var services = new ServiceCollection();
        var ex = Assert.ThrowsAny<InvalidOperationException>(() => services.AddApiResource<TResource>());
        foreach (var text in expected) Assert.Contains(text, ex.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class GoodResource
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();

        [HttpMapping("get", "{id:int}")]
        public Task<PbxApiResult> Get(int id) => Task.FromResult(PbxApiResult.Ok(id));

        [HttpMapping("POST", ":import")]
        [ResourceSecurity("Things:Write")]
        public ValueTask<PbxApiResult> Import() => ValueTask.FromResult(PbxApiResult.Ok());
    }

    public sealed class NoAttribute
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("/things")]
    [ResourceSecurity("Things:Read")]
    public sealed class LeadingSlash
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("Things")]
    [ResourceSecurity("Things:Read")]
    public sealed class UpperCase
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("things")]
    public sealed class NoPermission
    {
        [HttpMapping("GET")]
        [ResourceSecurity("Things:Read")]
        public PbxApiResult List() => PbxApiResult.Ok();

        [HttpMapping("DELETE", "{id}")]
        public PbxApiResult Delete(int id) => PbxApiResult.Ok(id);
    }

    [ApiResource("things")]
    [ResourceSecurity("read things")]
    public sealed class BadPermission
    {
        [HttpMapping("GET")]
        public PbxApiResult List() => PbxApiResult.Ok();
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class WrongReturn
    {
        [HttpMapping("GET")]
        public string List() => "[]";
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class UnknownVerb
    {
        [HttpMapping("FETCH")]
        public PbxApiResult Fetch() => PbxApiResult.Ok();
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class BadRoute
    {
        [HttpMapping("GET", "{id")]
        public PbxApiResult Get(int id) => PbxApiResult.Ok(id);
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Write")]
    public sealed class NegativeLimit
    {
        [HttpMapping("POST", ":import", MaxRequestBodyBytes = -1)]
        public PbxApiResult Import() => PbxApiResult.Ok();
    }

    [ApiResource("things")]
    [ResourceSecurity("Things:Read")]
    public sealed class NoMethods
    {
        public PbxApiResult List() => PbxApiResult.Ok();
    }
}
