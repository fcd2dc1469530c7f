using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PbxModules.Sdk.Data;

namespace TestModules.Migrating;

/// <summary>One row of the module's table, with the column 1.1.0 adds.</summary>
public sealed class Item
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>A name; unique from 1.1.0 on.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Added by 1.1.0.</summary>
    public string Note { get; set; } = string.Empty;
}

/// <summary>Version 1.1.0's context: <c>m_Items</c> (Id, Name, Note), Name unique.</summary>
public sealed class MigratingDbContext(DbContextOptions<MigratingDbContext> options) : ModuleDbContext(options)
{
    /// <summary>The items.</summary>
    public DbSet<Item> Items => Set<Item>();

    /// <inheritdoc/>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        // The migrations are written by hand, without a model snapshot: EF Core would take the model for pending changes.
        => optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Item>().HasIndex(i => i.Name).IsUnique();
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>
/// 1.1.0's migration: adds <c>Note</c> (every row keeps its data) and a unique index on <c>Name</c>, so
/// that rows with the same name make it fail: the failing-migration test.
/// </summary>
[DbContext(typeof(MigratingDbContext))]
[Migration("20261202000000_AddNote")]
public sealed class AddNote : Migration
{
    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Note", table: "m_Items", type: "TEXT", nullable: false, defaultValue: "migrated");
        migrationBuilder.CreateIndex(name: "IX_m_Items_Name", table: "m_Items", column: "Name", unique: true);
    }
}
