using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PbxModules.Sdk.Data;

namespace TestModules.Chaos;

/// <summary>A line in the ledger.</summary>
public sealed class LedgerEntry
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>What happened.</summary>
    public string Text { get; set; } = "";
}

/// <summary>
/// The module's second context, on the same database file as <see cref="ChaosDb"/>, with a migration
/// (written by hand: <c>m_Ledger</c>), so that both ways of creating module tables are exercised, in
/// the order that is harder for the host: the migrated context first, then the one without migrations.
/// </summary>
public sealed class ChaosLedgerDb(DbContextOptions<ChaosLedgerDb> options) : ModuleDbContext(options)
{
    /// <summary>The ledger.</summary>
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();

    /// <inheritdoc/>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => Configure(optionsBuilder);

    /// <summary>
    /// The hand-written migration comes without a model snapshot, so EF Core's pending-changes check is
    /// off. Every context of the module must configure it alike: they share the one EF Core service
    /// provider the host gives the module, whose warning settings cannot differ between contexts.
    /// </summary>
    internal static void Configure(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}

/// <summary>Creates <c>m_Ledger</c>.</summary>
[DbContext(typeof(ChaosLedgerDb))]
[Migration("20261124000000_CreateLedger")]
public sealed class CreateLedger : Migration
{
    /// <inheritdoc/>
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "m_Ledger",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Text = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_m_Ledger", x => x.Id));
    }

    /// <inheritdoc/>
    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "m_Ledger");
}
