using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Data;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Data;

/// <summary>Gives every module container its <see cref="IModuleDatabase"/>.</summary>
internal sealed class ModuleDatabaseServices(IOptions<PathsOptions> paths) : IModuleServicesProvider
{
    public void AddServices(IServiceCollection services, IModuleContext module)
    {
        var directory = Path.Combine(paths.Value.DataFullPath, "modules");
        Directory.CreateDirectory(directory);
        services.AddSingleton<IModuleDatabase>(new SqliteModuleDatabase(Path.Combine(directory, module.ModuleId + ".db")));
    }
}
