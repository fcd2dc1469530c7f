using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PbxModules.Host.HostData;
using PbxModules.Host.ModuleData;

namespace PbxModules.Host.Modules;

/// <summary>Wiring of the module system.</summary>
public static class ModulesServiceCollectionExtensions
{
    /// <summary>Adds the module catalog, loader, manager and registry, and starts modules with the daemon.</summary>
    public static IServiceCollection AddPbxModules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModuleHostOptions>().Bind(configuration.GetSection(ModuleHostOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModuleHostOptions>, ModuleHostOptionsValidator>();
        services.AddHostDatabase();
        services.AddSingleton<ModuleStateStore>();
        services.AddSingleton<ModuleDataPaths>();
        // Full isolation unless an in-process host (the test host) replaces it; never from configuration.
        services.TryAddSingleton(new ModuleLoaderOptions());
        services.AddSingleton<ModuleLoader>();
        services.AddSingleton<ModuleDatabaseMigrator>();
        services.AddSingleton<IModuleServicesProvider, ModuleDatabaseServices>();
        services.AddSingleton<ModuleRegistry>();
        services.AddSingleton<IModuleRegistry>(sp => sp.GetRequiredService<ModuleRegistry>());
        services.AddSingleton<UnloadedModuleContexts>();
        services.AddSingleton<ModuleManager>();
        services.AddSingleton<Packages.IModuleInstallTransitions>(sp => sp.GetRequiredService<ModuleManager>());
        services.AddSingleton<Journaling.TransitionJournal>();
        services.AddSingleton<Journaling.ITransitionFaultInjector, Journaling.ConfiguredFaultInjector>();
        services.AddSingleton<IModuleActivationListener, ModuleServiceRunner>();
        services.AddHostedService<ModuleHostedService>();
        return services;
    }
}
