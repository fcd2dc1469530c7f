using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PbxModules.Sdk.Data;

namespace PbxModules.Host.Data;

/// <summary>
/// A module's own SQLite database, <c>Paths:Data/modules/&lt;module-id&gt;.db</c>. The provider and its
/// native library are the host's (shared into the module's load context), so modules never ship them.
/// </summary>
internal sealed class SqliteModuleDatabase(string path) : IModuleDatabase
{
    /// <summary>The EF Core migrations history table of module databases, prefixed like module tables.</summary>
    public const string MigrationsHistoryTable = "m_migrations";

    public string Location { get; } = path;

    public void Configure(DbContextOptionsBuilder options)
    {
        var connection = new SqliteConnectionStringBuilder { DataSource = Location, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        options.UseSqlite(connection, sqlite => sqlite.MigrationsHistoryTable(MigrationsHistoryTable));
    }
}
