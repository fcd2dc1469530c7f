using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Models;
using PbxModules.Sdk.Data;

namespace ModuleBlackList.Data;

/// <summary>The module's database: <c>m_BlackListNumbers</c>, <c>m_BlackListCalls</c>, <c>m_BlackListSettings</c>.</summary>
public sealed class BlackListDbContext(DbContextOptions<BlackListDbContext> options) : ModuleDbContext(options)
{
    /// <summary>The rules.</summary>
    public DbSet<BlackListNumbers> Numbers => Set<BlackListNumbers>();

    /// <summary>The rejected calls.</summary>
    public DbSet<BlackListCalls> Calls => Set<BlackListCalls>();

    /// <summary>The settings row.</summary>
    public DbSet<BlackListSettingsRow> Settings => Set<BlackListSettingsRow>();

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BlackListNumbers>(e =>
        {
            e.ToTable(nameof(BlackListNumbers));
            e.Property(n => n.Number).HasMaxLength(64);
            e.Property(n => n.Normalized).HasMaxLength(32);
            e.Property(n => n.Description).HasMaxLength(500);
            e.Property(n => n.Scope).HasMaxLength(2000);
            e.Property(n => n.Source).HasMaxLength(32);
            e.Property(n => n.Kind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(n => new { n.Normalized, n.IsPrefix, n.Kind });
            e.HasIndex(n => n.ExpiresAt);
        });
        modelBuilder.Entity<BlackListCalls>(e =>
        {
            e.ToTable(nameof(BlackListCalls));
            e.HasIndex(c => c.At);
            e.HasIndex(c => c.Normalized);
        });
        modelBuilder.Entity<BlackListSettingsRow>(e => e.ToTable("BlackListSettings"));
        base.OnModelCreating(modelBuilder);
    }
}
