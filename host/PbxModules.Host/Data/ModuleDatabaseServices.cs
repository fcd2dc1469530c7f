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
        var path = Path.Combine(directory, module.ModuleId + ".db");
        // A factory, not an instance: the module's container then owns the database object and
        // disposes it (its private EF Core services, its pooled connections) when the module goes.
        services.AddSingleton<IModuleDatabase>(_ => new SqliteModuleDatabase(path));
    }
}
