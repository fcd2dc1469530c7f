using Microsoft.Extensions.Options;
using PbxModules.Host.Packages.Verification;

namespace PbxModules.Host.Packages;

/// <summary>Wiring of module packages.</summary>
public static class PackagesServiceCollectionExtensions
{
    /// <summary>Binds <c>Modules</c> (<see cref="ModulePackageOptions"/>, validated at start) and adds the package verifier.</summary>
    public static IServiceCollection AddPbxPackages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModulePackageOptions>().Bind(configuration.GetSection(ModulePackageOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModulePackageOptions>, ModulePackageOptionsValidator>();
        services.AddSingleton<IModulePackageVerifier, ModulePackageVerifier>();
        return services;
    }
}
