using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Migrating;

// Shared by both versions of test-migrating (MigratingV2 compiles this file too): its entry point and its first migration.

/// <summary>Creates <c>m_Items</c> (1.0.0's only migration; 1.1.0 keeps it and adds one).</summary>
[DbContext(typeof(MigratingDbContext))]
[Migration("20261201000000_Initial")]
public sealed class Initial : Migration
{
    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.CreateTable(
            name: "m_Items",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Name = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_m_Items", x => x.Id));
}

/// <summary>Registers the context; the host runs its migrations when it loads the module.</summary>
public sealed class MigratingMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
        => services.AddModuleDbContext<MigratingDbContext>();
}
