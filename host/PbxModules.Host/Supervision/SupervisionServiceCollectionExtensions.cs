using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Supervision;

/// <summary>Wiring of supervision: the crash-loop breaker that AGI routing and AMI workers report to.</summary>
public static class SupervisionServiceCollectionExtensions
{
    /// <summary>Adds the crash-loop breaker (section <c>Supervision</c>) and its reset when a module is enabled or disabled.</summary>
    public static IServiceCollection AddPbxSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SupervisionOptions>().Bind(configuration.GetSection(SupervisionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SupervisionOptions>, SupervisionOptionsValidator>();
        services.AddSingleton<ModuleCrashBreaker>();
        services.AddSingleton<IModuleActivationListener, BreakerReset>();
        return services;
    }
}
