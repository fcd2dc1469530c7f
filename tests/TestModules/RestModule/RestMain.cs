using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Rest;

/// <summary>
/// Registers the numbers store (in memory, seeded with 45 numbers) and its REST resource; with
/// setting <c>RegisterModuleIdPathResource</c>, also a resource the host must refuse, and with
/// <c>RegisterUnsecuredResource</c> one that registration itself refuses.
/// </summary>
public sealed class RestMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddSingleton<NumberStore>();
        services.AddSingleton<ContainerLifetime>();
        services.AddApiResource<NumbersResource>();
        if (string.Equals(context.Configuration["RegisterModuleIdPathResource"], "true", StringComparison.OrdinalIgnoreCase))
            services.AddApiResource<ModuleIdPathResource>();
        if (string.Equals(context.Configuration["RegisterUnsecuredResource"], "true", StringComparison.OrdinalIgnoreCase))
            services.AddApiResource<UnsecuredResource>();
    }
}
