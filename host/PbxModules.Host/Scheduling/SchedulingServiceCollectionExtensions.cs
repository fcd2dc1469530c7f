using PbxModules.Host.Modules;
using Quartz;

namespace PbxModules.Host.Scheduling;

/// <summary>Wiring of the scheduler that runs module jobs.</summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Adds Quartz (in-memory store) as a hosted service and schedules module jobs with their modules.</summary>
    public static IServiceCollection AddPbxScheduling(this IServiceCollection services)
    {
        services.AddQuartz();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<ModuleJobRuns>();
        services.AddSingleton<ModuleJobScheduler>();
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<ModuleJobScheduler>());
        return services;
    }
}
