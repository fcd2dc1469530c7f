using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModuleBlackList.Agi;
using ModuleBlackList.Ami;
using ModuleBlackList.CallLog;
using ModuleBlackList.Data;
using ModuleBlackList.Flood;
using ModuleBlackList.Jobs;
using ModuleBlackList.Rest;
using ModuleBlackList.Settings;
using ModuleBlackList.Sounds;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Scheduling;

namespace ModuleBlackList;

/// <summary>
/// The module's entry point: one contribution to every surface.
/// <list type="bullet">
/// <item>Dialplan: <see cref="BlackListConf"/> (the check before dial, feature codes *30 *31 *32).</item>
/// <item>AGI: <see cref="CheckHandler"/> and the feature-code handlers.</item>
/// <item>AMI: <see cref="CallTrackingWorker"/> (last caller per extension, flood protection).</item>
/// <item>REST: the list, import/export, check, call log, statistics and settings under <c>/pbxcore/api/v3/module-black-list/</c>.</item>
/// <item>Data: <see cref="BlackListDbContext"/> (<c>m_BlackListNumbers</c>, <c>m_BlackListCalls</c>, <c>m_BlackListSettings</c>).</item>
/// <item>Jobs: purge expired rules every minute, prune the call log daily.</item>
/// </list>
/// </summary>
public sealed partial class BlackListMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddModuleSettings<BlackListOptions>(context);
        services.AddSingleton<SoundLibrary>();
        services.AddSingleton<MissingSoundReporter>();
        services.AddSingleton<FloodCounter>();
        services.AddSingleton<FloodGuard>();
        services.AddModuleDbContext<BlackListDbContext>();
        services.AddModuleService<BlackListService>();
        services.AddModuleService<CallLogWriter>();
        services.AddSingleton<LastCallerTracker>();

        services.AddDialplanContributor<BlackListConf>();
        services.AddAgiHandler<CheckHandler>();
        services.AddAgiHandler<AddNumberHandler>();
        services.AddAgiHandler<RemoveNumberHandler>();
        services.AddAgiHandler<BlockLastCallerHandler>();
        services.AddAmiWorker<CallTrackingWorker>();
        services.AddModuleJob<PurgeExpiredRulesJob>(JobSchedule.Every(TimeSpan.FromMinutes(1)));
        services.AddModuleJob<PruneCallLogJob>(JobSchedule.Cron("0 15 3 * * ?"));

        services.AddScoped<NumbersImport>();
        services.AddSingleton<ListReadiness>();
        services.AddApiResource<NumbersResource>();
        services.AddApiResource<NumbersTransferResource>();
        services.AddApiResource<CallsResource>();
        services.AddApiResource<StatisticsResource>();
        services.AddApiResource<SettingsResource>();
    }

    /// <inheritdoc/>
    public Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        LogInstalled(context.Logger, context.Module.Manifest.Version);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ModuleBlackList {Version} installed")]
    private static partial void LogInstalled(ILogger logger, string? version);
}
