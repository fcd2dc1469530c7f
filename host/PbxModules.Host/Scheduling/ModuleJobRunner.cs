using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Modules;
using Quartz;

namespace PbxModules.Host.Scheduling;

/// <summary>
/// The one Quartz job type the scheduler knows: it runs a module's job by looking the module up when
/// the trigger fires and resolving the module's <see cref="IJob"/> from a fresh scope of the
/// module's container. Quartz therefore never holds a module type, so a disabled module can unload.
/// <see cref="DisallowConcurrentExecutionAttribute"/> applies per job key: the same module job never
/// runs twice at once.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class ModuleJobRunner(IModuleRegistry modules, ModuleJobRuns runs, ILogger<ModuleJobRunner> logger) : IJob
{
    public const string ModuleIdKey = "moduleId";
    public const string JobTypeKey = "jobType";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var moduleId = context.MergedJobDataMap.GetString(ModuleIdKey)!;
        var jobTypeName = context.MergedJobDataMap.GetString(JobTypeKey)!;
        var module = modules.EnabledModules.FirstOrDefault(m => m.Id == moduleId);
        var jobType = module?.Contributions.FirstOrDefault(c => c.Kind == Sdk.Modules.ContributionKind.Job && c.ImplementationType.FullName == jobTypeName)?.ImplementationType;
        if (module is null || jobType is null)
        {
            // The module was disabled between the trigger firing and now: nothing to do.
            return;
        }

        using var run = runs.TryStart(moduleId, cancellationToken);
        if (run is null) return;
        try
        {
            await using var scope = module.Services.CreateAsyncScope();
            var job = (IJob)scope.ServiceProvider.GetRequiredService(jobType);
            await job.Execute(context, run.Token);
            LogJobRan(logger, moduleId, context.JobDetail.Key.Name);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            LogJobCancelled(logger, moduleId, context.JobDetail.Key.Name);
        }
        catch (Exception ex)
        {
            // A failing job is logged and retried at its next trigger; it never reaches Quartz's
            // threads as an unhandled exception, and never affects other jobs.
            LogJobFailed(logger, ex, moduleId, context.JobDetail.Key.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobName} of module {ModuleId} ran")]
    private static partial void LogJobRan(ILogger logger, string moduleId, string jobName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobName} of module {ModuleId} was cancelled (module disabled or host stopping)")]
    private static partial void LogJobCancelled(ILogger logger, string moduleId, string jobName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobName} of module {ModuleId} failed; it runs again at its next trigger")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string moduleId, string jobName);
}
