using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.HostData;

/// <summary>Wiring of the host database.</summary>
public static class HostDatabase
{
    /// <summary>The host database's file name under <c>Paths:Data</c>.</summary>
    public const string FileName = "pbxmodules.db";

    /// <summary>The SQLite connection string for a data folder.</summary>
    public static string ConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, FileName),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
    }.ToString();

    /// <summary>Registers <see cref="HostDbContext"/> (through a factory: the host is a singleton world) on the SQLite file under <c>Paths:Data</c>.</summary>
    public static IServiceCollection AddHostDatabase(this IServiceCollection services)
    {
        services.AddDbContextFactory<HostDbContext>((sp, options) =>
        {
            var data = sp.GetRequiredService<IOptions<PathsOptions>>().Value.DataFullPath;
            Directory.CreateDirectory(data);
            Configure(options, ConnectionString(data));
        });
        return services;
    }

    /// <summary>Applies pending migrations and switches the file to WAL, so readers never block the writer.</summary>
    public static async Task MigrateAsync(IDbContextFactory<HostDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    internal static void Configure(DbContextOptionsBuilder options, string connectionString)
        => options.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(HostDbContext.MigrationsHistoryTable));
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without starting the daemon.</summary>
internal sealed class HostDbContextDesignTimeFactory : IDesignTimeDbContextFactory<HostDbContext>
{
    public HostDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<HostDbContext>();
        HostDatabase.Configure(options, "Data Source=design-time.db");
        return new HostDbContext(options.Options);
    }
}
