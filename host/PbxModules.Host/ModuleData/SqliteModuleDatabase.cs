using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PbxModules.Sdk.Data;

namespace PbxModules.Host.ModuleData;

/// <summary>
/// A module's own SQLite database, <c>Paths:Data/modules/&lt;module-id&gt;.db</c>. The provider and its
/// native library are the host's (shared into the module's load context), so modules never ship them.
/// </summary>
/// <remarks>
/// <para>
/// EF Core's internal services (model cache, compiled-query cache, set and property accessor
/// factories) belong to this module alone: the instance owns a private EF Core service provider
/// and hands it to every context of the module with <c>UseInternalServiceProvider</c>. Without
/// it, EF Core keeps one internal provider per distinct options in the process-wide static
/// <c>ServiceProviderCache.Instance</c>, for the life of the process; that provider's
/// <c>IMemoryCache</c> holds the module's model (accessors generic over the module's entity types),
/// its compiled queries (expression trees over them) and its <c>DbContextOptions&lt;TContext&gt;</c>
/// key, so a disabled module's load context could never be collected (found with ClrMD on a dump,
/// see docs/UNLOADING.md). Owned here, they live in the module's container and go with it.
/// </para>
/// <para>
/// <c>EnableServiceProviderCaching(false)</c> would also keep them out of the static cache, but
/// builds a new internal provider, and so a new model, for every context instance: far too slow
/// for a context per call.
/// </para>
/// </remarks>
internal sealed class SqliteModuleDatabase(string path) : IModuleDatabase, IDisposable
{
    /// <summary>The EF Core migrations history table of module databases, prefixed like module tables.</summary>
    public const string MigrationsHistoryTable = "m_migrations";

    private readonly Lazy<ServiceProvider> _efServices = new(
        () => new ServiceCollection().AddEntityFrameworkSqlite().BuildServiceProvider(),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private bool _disposed;

    public string Location { get; } = path;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Location, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

    public void Configure(DbContextOptionsBuilder options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        options.UseInternalServiceProvider(_efServices.Value);
        options.UseSqlite(ConnectionString, sqlite => sqlite.MigrationsHistoryTable(MigrationsHistoryTable));
    }

    /// <summary>
    /// Called when the module's container is disposed (the module is disabled or the daemon stops):
    /// drops the module's EF Core services and closes its pooled connections, so the file is not held
    /// open by a module that is gone.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_efServices.IsValueCreated) _efServices.Value.Dispose();
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
