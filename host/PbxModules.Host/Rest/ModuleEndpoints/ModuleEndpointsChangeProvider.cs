using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Tells ApiExplorer (which the OpenAPI document is built from, and which caches its descriptions)
/// that the endpoints changed whenever a module's endpoints come or go, so the document follows.
/// </summary>
internal sealed class ModuleEndpointsChangeProvider(ModuleEndpointDataSource dataSource) : IActionDescriptorChangeProvider
{
    public IChangeToken GetChangeToken() => dataSource.GetChangeToken();
}
