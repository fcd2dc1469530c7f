using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Agi;

/// <summary>Wiring of the AGI surface: the FastAGI server and the routing of its sessions to module handlers.</summary>
public static class AgiRoutingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the FastAGI server (section <c>Agi</c>; mount it with <c>kestrel.ListenFastAgi()</c>) and
    /// <see cref="AgiRouter"/> (its settings in the same section) as its session handler and a module surface.
    /// </summary>
    public static IServiceCollection AddPbxAgi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FastAgiOptions>().Bind(configuration.GetSection(FastAgiOptions.SectionName));
        services.AddFastAgi();
        services.AddOptions<AgiRoutingOptions>().Bind(configuration.GetSection(AgiRoutingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgiRoutingOptions>, AgiRoutingOptionsValidator>();
        services.AddSingleton<AgiHandlerDispatch>();
        services.AddSingleton<AgiRouter>();
        services.AddSingleton<IAgiSessionHandler>(sp => sp.GetRequiredService<AgiRouter>());
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<AgiRouter>());
        return services;
    }
}
