using Microsoft.EntityFrameworkCore;

namespace PbxModules.Host.HostData;

/// <summary>
/// The host's own database (SQLite <c>Paths:Data/pbxmodules.db</c> by default). Core tables are
/// prefixed <c>c_</c>; modules get databases of their own, never tables here.
/// </summary>
public sealed class HostDbContext(DbContextOptions<HostDbContext> options) : DbContext(options)
{
    /// <summary>The EF Core migrations history table, prefixed like the other core tables.</summary>
    public const string MigrationsHistoryTable = "c_migrations";

    /// <summary>Installed modules and their state.</summary>
    public DbSet<ModuleRecord> Modules => Set<ModuleRecord>();

    /// <summary>REST API users (<c>c_users</c>).</summary>
    public DbSet<Auth.UserRecord> Users => Set<Auth.UserRecord>();

    /// <summary>REST API keys, hashed (<c>c_api_keys</c>).</summary>
    public DbSet<Auth.ApiKeyRecord> ApiKeys => Set<Auth.ApiKeyRecord>();

    /// <summary>Refresh tokens, hashed (<c>c_refresh_tokens</c>).</summary>
    public DbSet<Auth.RefreshTokenRecord> RefreshTokens => Set<Auth.RefreshTokenRecord>();

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ModuleRecord>(e =>
        {
            e.ToTable("c_modules");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).HasMaxLength(64);
            e.Property(m => m.InstalledVersion).HasMaxLength(64);
            e.Property(m => m.DisabledReason).HasMaxLength(2000);
            e.Property(m => m.Folder).HasMaxLength(255);
            e.Property(m => m.PackageSha256).HasMaxLength(64);
            e.Property(m => m.PackageSigner).HasMaxLength(128);
            e.Property(m => m.PackageSignerSubject).HasMaxLength(1000);
            e.Property(m => m.PackageSource).HasMaxLength(2000);
        });
        Auth.AuthModel.Configure(modelBuilder);
    }
}
