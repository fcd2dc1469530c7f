using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Modules;
using Quartz;

namespace PbxModules.Host.Scheduling;

/// <summary>
/// Schedules an enabled module's jobs (Quartz group = module id, job name from the SDK helper) and
/// removes them when it is disabled, interrupting and waiting out runs in progress, so that no job
/// of a disabled module runs.
/// </summary>
internal sealed partial class ModuleJobScheduler(ISchedulerFactory schedulers, ModuleJobRuns runs, IOptionsMonitor<ModuleHostOptions> options, ILogger<ModuleJobScheduler> logger) : IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Jobs;


    public async Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        var jobs = module.Contributions.Where(c => c.Kind == ContributionKind.Job).ToList();
        runs.Reset(module.Id);
        if (jobs.Count == 0) return;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var job in jobs)
        {
            var key = new JobKey(job.Name!, module.Id);
            var detail = JobBuilder.Create<ModuleJobRunner>()
                .WithIdentity(key)
                .UsingJobData(ModuleJobRunner.ModuleIdKey, module.Id)
                .UsingJobData(ModuleJobRunner.JobTypeKey, job.ImplementationType.FullName!)
                .Build();
            var trigger = TriggerBuilder.Create().WithIdentity(job.Name!, module.Id).ForJob(key);
            trigger = job.Schedule!.CronExpression is { } cron
                ? trigger.WithCronSchedule(cron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                : trigger.StartAt(DateTimeOffset.UtcNow + job.Schedule.Interval!.Value)
                    .WithSimpleSchedule(s => s.WithInterval(job.Schedule.Interval!.Value).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount));
            try
            {
                await scheduler.ScheduleJob(detail, [trigger.Build()], new ScheduleJobOptions { Replace = true }, cancellationToken);
            }
            catch (FormatException ex)
            {
                throw new ModuleLoadException($"Job '{job.Name}' has an invalid cron expression '{job.Schedule.CronExpression}': {ex.Message}", ex);
            }
            LogScheduled(logger, module.Id, job.Name!, job.Schedule.ToString());
        }
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        // First no new run can start, then the running ones are cancelled and waited for.
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.DeleteJobs(GroupMatcher<JobKey>.GroupEquals(module.Id), cancellationToken);
        var timeout = options.CurrentValue.DrainTimeout;
        var stopped = await runs.StopAsync(module.Id, timeout, cancellationToken);
        if (stopped.StillRunning > 0) LogDrainTimeout(logger, module.Id, timeout.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobName} of module {ModuleId} scheduled {Schedule}")]
    private static partial void LogScheduled(ILogger logger, string moduleId, string jobName, string schedule);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A job of module {ModuleId} ignored cancellation for {Seconds} s; disabling goes on without it")]
    private static partial void LogDrainTimeout(ILogger logger, string moduleId, double seconds);
}
