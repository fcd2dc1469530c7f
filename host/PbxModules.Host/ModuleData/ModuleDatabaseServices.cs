using PbxModules.Host.Modules;
using PbxModules.Sdk.Data;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.ModuleData;

/// <summary>Gives every module container its <see cref="IModuleDatabase"/>.</summary>
internal sealed class ModuleDatabaseServices(ModuleDataPaths paths) : IModuleServicesProvider
{
    public void AddServices(IServiceCollection services, IModuleContext module)
    {
        Directory.CreateDirectory(paths.DataRoot);
        var path = paths.DatabaseFile(module.ModuleId);
        // A factory, not an instance: the module's container then owns the database object and
        // disposes it (its private EF Core services, its pooled connections) when the module goes.
        services.AddSingleton<IModuleDatabase>(_ => new SqliteModuleDatabase(path));
    }
}
