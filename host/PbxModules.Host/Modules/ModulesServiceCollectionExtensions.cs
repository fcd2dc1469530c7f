using PbxModules.Host.Data;

namespace PbxModules.Host.Modules;

/// <summary>Wiring of the module system.</summary>
public static class ModulesServiceCollectionExtensions
{
    /// <summary>Adds the module catalog, loader and manager, and starts modules with the daemon.</summary>
    public static IServiceCollection AddPbxModules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModuleHostOptions>().Bind(configuration.GetSection(ModuleHostOptions.SectionName));
        services.AddHostDatabase();
        services.AddSingleton<ModuleStateStore>();
        services.AddSingleton<ModuleLoader>();
        services.AddSingleton<ModuleDatabaseMigrator>();
        services.AddSingleton<IModuleServicesProvider, ModuleDatabaseServices>();
        services.AddSingleton<UnloadedModuleContexts>();
        services.AddSingleton<ModuleManager>();
        // First listener: module services start before any surface is wired in, and stop after.
        services.AddSingleton<IModuleActivationListener, ModuleServiceRunner>();
        services.AddHostedService<ModuleHostedService>();
        return services;
    }
}
