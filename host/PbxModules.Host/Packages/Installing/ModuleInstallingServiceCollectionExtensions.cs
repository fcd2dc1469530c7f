namespace PbxModules.Host.Packages.Installing;

/// <summary>Wiring of installing and upgrading modules from packages.</summary>
public static class ModuleInstallingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the installer (uploads, feeds, dependencies) and the start-up clean-up of unfinished uploads.
    /// It needs the package verifier (<see cref="IModulePackageVerifier"/>), the feeds (<see cref="IModuleFeeds"/>)
    /// and the manager's transitions (<see cref="IModuleInstallTransitions"/>), registered by their own folders.
    /// </summary>
    /// <remarks>The <c>Modules</c> section is bound by <c>AddPbxPackages</c>, once: binding twice would repeat its lists.</remarks>
    public static IServiceCollection AddPbxModuleInstalling(this IServiceCollection services)
    {
        services.AddSingleton<IncomingPackages>();
        services.AddSingleton<FeedPackageFetcher>();
        services.AddSingleton<ModuleInstaller>();
        services.AddHostedService<IncomingPackagesCleanup>();
        return services;
    }
}
