using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PbxModules.Sdk.Data;

namespace TestModules.Migrating;

/// <summary>One row of the module's table.</summary>
public sealed class Item
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>A name.</summary>
    public string Name { get; set; } = string.Empty;
}

/// <summary>Version 1.0.0's context: <c>m_Items</c> (Id, Name), created by its one migration.</summary>
public sealed class MigratingDbContext(DbContextOptions<MigratingDbContext> options) : ModuleDbContext(options)
{
    /// <summary>The items.</summary>
    public DbSet<Item> Items => Set<Item>();

    /// <inheritdoc/>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        // The migrations are written by hand, without a model snapshot: EF Core would take the model for pending changes.
        => optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
