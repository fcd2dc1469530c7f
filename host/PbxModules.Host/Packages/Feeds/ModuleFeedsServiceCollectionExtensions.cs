using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PbxModules.Host.Packages.Feeds;

/// <summary>Registration of the module feeds.</summary>
public static class ModuleFeedsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IModuleFeeds"/>. It reads <see cref="ModulePackageOptions"/> (section <c>Modules</c>).
    /// With <paramref name="configuration"/> given, the section is bound here unless something registered
    /// before (<c>AddPbxPackages</c>) already configures those options: binding twice would list every source twice.
    /// </summary>
    public static IServiceCollection AddPbxModuleFeeds(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (configuration is not null && !services.Any(d => d.ServiceType == typeof(IConfigureOptions<ModulePackageOptions>)))
            services.AddOptions<ModulePackageOptions>().Bind(configuration.GetSection(ModulePackageOptions.SectionName));
        services.TryAddSingleton<IModuleFeeds, ModuleFeeds>();
        return services;
    }
}
