using Microsoft.EntityFrameworkCore;
using PbxModules.Sdk.Data;

namespace ModuleFoo.Data;

/// <summary>
/// The module's database. The host provides the connection (one SQLite file per module) and applies
/// the migrations in <c>Data/Migrations</c> each time it loads the module. After changing the model,
/// add a migration instead of editing an existing one (the guide's "Data and migrations" says how):
/// a PBX that has the module installed upgrades through every migration in order.
/// </summary>
public sealed class FooDbContext(DbContextOptions<FooDbContext> options) : ModuleDbContext(options)
{
    /// <summary>The greetings, one per caller.</summary>
    public DbSet<Greeting> Greetings => Set<Greeting>();

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Greeting>(e =>
        {
            e.ToTable("Greetings");
            e.Property(g => g.CallerId).HasMaxLength(Greeting.MaxCallerIdLength);
            e.Property(g => g.Sound).HasMaxLength(Greeting.MaxSoundLength);
            // The AGI handler looks a caller up on every call: one indexed row.
            e.HasIndex(g => g.CallerId).IsUnique();
            e.HasIndex(g => g.ExpiresAt);
        });
        // Last: the SDK prefixes every table with m_ after the model is built.
        base.OnModelCreating(modelBuilder);
    }
}
