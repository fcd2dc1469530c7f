using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModuleFoo.Agi;
using ModuleFoo.Ami;
using ModuleFoo.Data;
using ModuleFoo.Dialplan;
using ModuleFoo.Jobs;
using ModuleFoo.Rest;
using ModuleFoo.Settings;
using PbxModules.Sdk.Modules;
using PbxModules.Sdk.Scheduling;

namespace ModuleFoo;

/// <summary>
/// The module's entry point: the host calls <see cref="ConfigureServices"/> each time it loads the
/// module and wires every surface from what is registered here.
/// <list type="bullet">
/// <item>Settings: <see cref="FooOptions"/> (configuration section <c>Modules:module-foo</c>).</item>
/// <item>Data: <see cref="FooDbContext"/> (table <c>m_Greetings</c>), migrated by the host.</item>
/// <item>Dialplan: <see cref="FooDialplan"/> sends every incoming call to the AGI handler.</item>
/// <item>AGI: <see cref="GreetHandler"/> plays the caller's greeting.</item>
/// <item>AMI: <see cref="HangupCountingWorker"/> counts the calls that ended, per greeted caller.</item>
/// <item>REST: <see cref="GreetingsResource"/> under <c>/pbxcore/api/v3/module-foo/greetings</c>.</item>
/// <item>Jobs: <see cref="PruneExpiredGreetingsJob"/> every hour.</item>
/// </list>
/// </summary>
public sealed partial class FooMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddModuleSettings<FooOptions>(context);
        services.AddModuleDbContext<FooDbContext>();

        services.AddDialplanContributor<FooDialplan>();
        services.AddAgiHandler<GreetHandler>();
        services.AddAmiWorker<HangupCountingWorker>();
        services.AddApiResource<GreetingsResource>();
        services.AddModuleJob<PruneExpiredGreetingsJob>(JobSchedule.Every(TimeSpan.FromHours(1)));
    }

    /// <inheritdoc/>
    public Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        LogInstalled(context.Logger, context.Module.Manifest.Version);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ModuleFoo {Version} installed")]
    private static partial void LogInstalled(ILogger logger, string? version);
}
