using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Scheduling;

namespace TestModules.Chaos;

/// <summary>
/// Registers a misbehaving contribution to every surface. Settings (section <c>Modules:test-chaos</c>):
/// <c>JobDuration</c> (how long each run of the 1 s job takes, default 00:00:02.5),
/// <c>DialplanThrows</c> (default true: the broken contributor throws).
/// </summary>
public sealed class ChaosMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        var settings = new ChaosSettings
        {
            JobDuration = context.Configuration.GetValue("JobDuration", TimeSpan.FromSeconds(2.5)),
            DialplanThrows = context.Configuration.GetValue("DialplanThrows", true),
        };
        services.AddSingleton(settings);
        services.AddModuleDbContext<ChaosLedgerDb>();
        services.AddModuleDbContext<ChaosDb>();

        services.AddAgiHandler<OkHandler>();
        services.AddAgiHandler<ThrowHandler>();
        services.AddAgiHandler<SleepHandler>();
        services.AddAgiHandler<StallHandler>();
        services.AddAgiHandler<HoldHandler>();

        services.AddAmiWorker<EchoWorker>();
        services.AddAmiWorker<FlakyWorker>();
        services.AddAmiWorker<BlockingWorker>();
        services.AddAmiWorker<UnstartableWorker>();

        services.AddModuleJob<SlowJob>(JobSchedule.Every(TimeSpan.FromSeconds(1)));

        services.AddDialplanContributor<GoodDialplan>();
        services.AddDialplanContributor<BrokenDialplan>();
    }

    /// <summary>Writes a row in each context: proves their tables exist before the install hook.</summary>
    public async Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        await using var scope = context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChaosDb>();
        db.Installs.Add(new Install { At = DateTime.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        var ledger = scope.ServiceProvider.GetRequiredService<ChaosLedgerDb>();
        ledger.Ledger.Add(new LedgerEntry { Text = "installed" });
        await ledger.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The module's settings, read once from its configuration section.</summary>
public sealed class ChaosSettings
{
    /// <summary>How long one run of <see cref="SlowJob"/> takes.</summary>
    public TimeSpan JobDuration { get; init; }

    /// <summary>Whether <see cref="BrokenDialplan"/> throws.</summary>
    public bool DialplanThrows { get; init; }
}
