using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// What <see cref="RequestDelegateFactory"/> sees as "the services" while it builds a module's
/// endpoint: the module's own container (so a parameter is a service when the module registered
/// it), except for the JSON options, which are the module's private copy of the API's. Nothing here
/// is host-wide, so nothing of the module outlives its endpoint set.
/// </summary>
internal sealed class ModuleBindingServices(IServiceProvider module, JsonOptions json) : IServiceProvider, IServiceProviderIsKeyedService
{
    private readonly IOptions<JsonOptions> _json = Options.Create(json);
    private readonly IServiceProviderIsService? _isService = module.GetService<IServiceProviderIsService>();

    public object? GetService(Type serviceType)
    {
        if (serviceType == typeof(IOptions<JsonOptions>)) return _json;
        if (serviceType == typeof(IServiceProviderIsService) || serviceType == typeof(IServiceProviderIsKeyedService)) return this;
        return module.GetService(serviceType);
    }

    public bool IsService(Type serviceType) => _isService?.IsService(serviceType) ?? false;

    public bool IsKeyedService(Type serviceType, object? serviceKey)
        => _isService is IServiceProviderIsKeyedService keyed && keyed.IsKeyedService(serviceType, serviceKey);
}
