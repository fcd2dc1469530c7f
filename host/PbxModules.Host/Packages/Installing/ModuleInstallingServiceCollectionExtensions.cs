namespace PbxModules.Host.Packages.Installing;

/// <summary>Wiring of installing and upgrading modules from packages.</summary>
public static class ModuleInstallingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the installer (uploads, feeds, dependencies) and the start-up clean-up of unfinished uploads.
    /// It needs the package verifier (<see cref="IModulePackageVerifier"/>), the feeds (<see cref="IModuleFeeds"/>)
    /// and the manager's transitions (<see cref="IModuleInstallTransitions"/>), registered by their own folders.
    /// </summary>
    public static IServiceCollection AddPbxModuleInstalling(this IServiceCollection services, IConfiguration configuration)
    {
        // Bound once for the whole "Modules" section (Packages/ owns it); binding twice would repeat the lists.
        if (!services.Any(d => d.ServiceType == typeof(Microsoft.Extensions.Options.IConfigureOptions<ModulePackageOptions>)))
            services.AddOptions<ModulePackageOptions>().Bind(configuration.GetSection(ModulePackageOptions.SectionName));
        services.AddSingleton<IncomingPackages>();
        services.AddSingleton<FeedPackageFetcher>();
        services.AddSingleton<ModuleInstaller>();
        services.AddHostedService<IncomingPackagesCleanup>();
        return services;
    }
}
