using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Rest;

/// <summary>
/// Registers the numbers store (in memory, seeded with 45 numbers) and its REST resource; with
/// setting <c>RegisterOutsideResource</c>, also a resource the host must refuse.
/// </summary>
public sealed class RestMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddSingleton<NumberStore>();
        services.AddSingleton<ContainerLifetime>();
        services.AddApiResource<NumbersResource>();
        if (string.Equals(context.Configuration["RegisterOutsideResource"], "true", StringComparison.OrdinalIgnoreCase))
            services.AddApiResource<OutsideResource>();
    }
}
