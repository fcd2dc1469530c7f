using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Data;

namespace PbxModules.Host.ModuleData;

/// <summary>
/// Brings a module's databases up to date when it is loaded, before any lifecycle hook runs (so an
/// install hook can seed data): applies the context's migrations, or, for a context without
/// migrations, creates its tables from the model; then switches the file to WAL so that readers
/// (REST lists) never block the writer (call logging).
/// </summary>
public sealed partial class ModuleDatabaseMigrator(ILogger<ModuleDatabaseMigrator> logger)
{
    /// <summary>Migrates every context the module registered.</summary>
    public async Task MigrateAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        foreach (var registration in module.Services.GetServices<ModuleDbContextRegistration>())
        {
            await using var scope = module.Services.CreateAsyncScope();
            var db = (DbContext)scope.ServiceProvider.GetRequiredService(registration.ContextType);
            try
            {
                if (db.Database.GetMigrations().Any()) await db.Database.MigrateAsync(cancellationToken);
                else await CreateTablesAsync(db, cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ModuleLoadException($"The database of {registration.ContextType.Name} could not be brought up to date: {ex.Message}", ex);
            }
            LogMigrated(logger, module.Id, registration.ContextType.Name);
        }
    }

    /// <summary>
    /// Creates the tables of a context without migrations. <c>EnsureCreated</c> alone creates nothing
    /// when the file already holds any table, and a module's contexts share one file: a second context
    /// (or one registered after a migrated one) never got its tables, and the module failed at its
    /// install hook with "no such table". So its tables are created when none of them exists yet.
    /// </summary>
    private static async Task CreateTablesAsync(DbContext db, CancellationToken cancellationToken)
    {
        if (await db.Database.EnsureCreatedAsync(cancellationToken) || !db.Database.IsSqlite()) return;
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var existing = await db.Database.SqlQueryRaw<string>("SELECT name AS Value FROM sqlite_master WHERE type = 'table'").ToListAsync(cancellationToken);
        // Some of them exist: created before (a model that changed since needs migrations, as with EnsureCreated).
        if (existing.Any(tables.Contains)) return;
        await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database of module {ModuleId} ({Context}) is up to date")]
    private static partial void LogMigrated(ILogger logger, string moduleId, string context);
}
