using PbxModules.Asterisk.Ami;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Ami;

/// <summary>Wiring of the AMI surface: the host's one AMI connection and the modules' AMI workers on it.</summary>
public static class AmiWorkersServiceCollectionExtensions
{
    /// <summary>
    /// Adds the AMI client (section <c>Ami</c>), module AMI workers (section <c>AmiWorkers</c>), the
    /// connection shared into every module container, and the <c>ami</c> health check.
    /// </summary>
    public static IServiceCollection AddPbxAmi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAmiClient(configuration.GetSection("Ami"));
        services.AddOptions<AmiWorkerOptions>().Bind(configuration.GetSection(AmiWorkerOptions.SectionName));
        services.AddSingleton<AmiWorkerDispatch>();
        services.AddSingleton<AmiWorkerSupervisor>();
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<AmiWorkerSupervisor>());
        services.AddSingleton<IModuleServicesProvider, AmiModuleServices>();
        services.AddHealthChecks().AddCheck<AmiHealthCheck>("ami");
        return services;
    }
}
