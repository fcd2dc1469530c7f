using Microsoft.EntityFrameworkCore;

namespace PbxModules.Sdk.Data;

/// <summary>
/// Base class of a module's EF Core context. Every table it maps is prefixed <c>m_</c> (an entity
/// <c>BlackListNumbers</c> becomes table <c>m_BlackListNumbers</c>), so module tables never collide
/// with the host's <c>c_</c> tables. The host supplies the connection (one SQLite file per module
/// under the data directory); register the context with
/// <see cref="Modules.ModuleServiceCollectionExtensions.AddModuleDbContext{TContext}"/>.
/// </summary>
public abstract class ModuleDbContext : DbContext
{
    /// <summary>The prefix of every module table.</summary>
    public const string TablePrefix = "m_";

    /// <summary>Creates the context with the options the host configured.</summary>
    protected ModuleDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>Applies the <c>m_</c> prefix after the derived model is built. Call the base when overriding.</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.IsOwned() || entity.GetTableName() is not { } table) continue;
            if (!table.StartsWith(TablePrefix, StringComparison.Ordinal))
                entity.SetTableName(TablePrefix + table);
        }
    }
}
