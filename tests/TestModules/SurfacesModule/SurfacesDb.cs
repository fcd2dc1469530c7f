using Microsoft.EntityFrameworkCore;
using PbxModules.Sdk.Data;

namespace TestModules.Surfaces;

/// <summary>Something one of the module's surfaces saw.</summary>
public sealed class Observation
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>agi, ami, ami-connected or job.</summary>
    public string Kind { get; set; } = "";

    /// <summary>What it saw.</summary>
    public string Detail { get; set; } = "";

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
}

/// <summary>The module's database: table <c>m_Observations</c> in its own SQLite file.</summary>
public sealed class SurfacesDb(DbContextOptions<SurfacesDb> options) : ModuleDbContext(options)
{
    /// <summary>Everything seen.</summary>
    public DbSet<Observation> Observations => Set<Observation>();

    /// <summary>Records one observation.</summary>
    public async Task RecordAsync(string kind, string detail, CancellationToken cancellationToken)
    {
        Observations.Add(new Observation { Kind = kind, Detail = detail, At = DateTime.UtcNow });
        await SaveChangesAsync(cancellationToken);
    }
}
