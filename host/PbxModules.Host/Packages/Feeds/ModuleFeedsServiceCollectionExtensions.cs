using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PbxModules.Host.Packages.Feeds;

/// <summary>Registration of the module feeds.</summary>
public static class ModuleFeedsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IModuleFeeds"/>. It reads <see cref="ModulePackageOptions"/> (section <c>Modules</c>),
    /// which <c>AddPbxPackages</c> binds: once, since binding twice would list every source twice.
    /// </summary>
    public static IServiceCollection AddPbxModuleFeeds(this IServiceCollection services)
    {
        services.TryAddSingleton<IModuleFeeds, ModuleFeeds>();
        return services;
    }
}
