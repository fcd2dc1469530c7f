using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Data;
using PbxModules.Sdk.Modules;

namespace TestModules.Ef;

/// <summary>One row per enable: the module's own table in its own database.</summary>
public sealed class EfEvent
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>What happened.</summary>
    public string What { get; set; } = string.Empty;
}

/// <summary>The module's EF Core context, configured by the host (<see cref="IModuleDatabase"/>).</summary>
public sealed class EfModuleDbContext(DbContextOptions<EfModuleDbContext> options) : ModuleDbContext(options)
{
    /// <summary>The events table (<c>m_Events</c>).</summary>
    public DbSet<EfEvent> Events => Set<EfEvent>();
}

/// <summary>
/// A module that uses EF Core the way modules do: its context registered with
/// <see cref="ModuleServiceCollectionExtensions.AddModuleDbContext{TContext}"/> (the host creates its
/// table when it loads the module), and used once, when enabled: one row written, then counted.
/// The count is written to <c>enabled.count</c> in the module's data folder for the tests.
/// </summary>
public sealed class EfMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
        => services.AddModuleDbContext<EfModuleDbContext>();

    /// <inheritdoc/>
    public async Task OnEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EfModuleDbContext>();
        db.Events.Add(new EfEvent { What = "enable" });
        await db.SaveChangesAsync(cancellationToken);
        var count = await db.Events.CountAsync(e => e.What == "enable", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context.Module.DataDirectory, "enabled.count"), count.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
    }
}
