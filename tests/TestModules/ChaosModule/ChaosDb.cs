using Microsoft.EntityFrameworkCore;
using PbxModules.Sdk.Data;

namespace TestModules.Chaos;

/// <summary>A row the install hook wrote.</summary>
public sealed class Install
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }
}

/// <summary>One run of <see cref="SlowJob"/>.</summary>
public sealed class JobRun
{
    /// <summary>Key.</summary>
    public int Id { get; set; }

    /// <summary>How many runs of the job were in progress when this one started, itself included.</summary>
    public int Concurrent { get; set; }

    /// <summary>Set when the run ended; null while it runs.</summary>
    public string? Outcome { get; set; }
}

/// <summary>The module's database, without migrations (the host creates it from the model): <c>m_Installs</c>, <c>m_JobRuns</c>.</summary>
public sealed class ChaosDb(DbContextOptions<ChaosDb> options) : ModuleDbContext(options)
{
    /// <summary>Install hook runs.</summary>
    public DbSet<Install> Installs => Set<Install>();

    /// <summary>Job runs.</summary>
    public DbSet<JobRun> JobRuns => Set<JobRun>();

    /// <inheritdoc/>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => ChaosLedgerDb.Configure(optionsBuilder);
}
