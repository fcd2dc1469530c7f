using PbxModules.Host.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>Wiring of dialplan composition.</summary>
public static class DialplanServiceCollectionExtensions
{
    /// <summary>Adds the dialplan service: it follows module enable/disable and applies once after start-up.</summary>
    public static IServiceCollection AddPbxDialplan(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DialplanOptions>().Bind(configuration.GetSection(DialplanOptions.SectionName));
        services.AddSingleton<DialplanService>();
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<DialplanService>());
        services.AddSingleton<IModuleServicesProvider, DialplanModuleServices>();
        services.AddHostedService<DialplanStartup>();
        return services;
    }

    /// <summary>
    /// Writes the dialplan once all modules have started (hosted services start in registration order),
    /// and leaves it as it is when the host stops (they stop in reverse order: this one before the
    /// modules are wired out).
    /// </summary>
    private sealed class DialplanStartup(DialplanService dialplan) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => dialplan.ApplyAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken)
        {
            dialplan.StopFollowingModules();
            return Task.CompletedTask;
        }
    }
}
