using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>Wiring of dialplan composition.</summary>
public static class DialplanServiceCollectionExtensions
{
    /// <summary>Adds the dialplan service: it follows module enable/disable, applies once after start-up, reloads when AMI connects, and reports as the <c>dialplan</c> health check.</summary>
    public static IServiceCollection AddPbxDialplan(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DialplanOptions>().Bind(configuration.GetSection(DialplanOptions.SectionName));
        services.AddOptions<AgiDialplanOptions>().Bind(configuration.GetSection(AgiDialplanOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgiDialplanOptions>, AgiDialplanOptionsValidator>();
        services.AddSingleton<DialplanService>();
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<DialplanService>());
        services.AddSingleton<IModuleServicesProvider, DialplanModuleServices>();
        services.AddHostedService<DialplanStartup>();
        services.AddHostedService<DialplanReloadOnConnect>();
        services.AddHealthChecks().AddCheck<DialplanHealthCheck>("dialplan");
        return services;
    }
}
