using Microsoft.EntityFrameworkCore;

namespace PbxModules.Sdk.Data;

/// <summary>
/// Provided by the host in every module container: configures a module's <see cref="ModuleDbContext"/>
/// for the module's own database (provider, connection, native library), so that modules never pick
/// a provider or a path themselves.
/// </summary>
public interface IModuleDatabase
{
    /// <summary>Where the module's database lives, for logs and the admin page (e.g. the SQLite file path).</summary>
    string Location { get; }

    /// <summary>Configures the options of a module context.</summary>
    void Configure(DbContextOptionsBuilder options);
}
