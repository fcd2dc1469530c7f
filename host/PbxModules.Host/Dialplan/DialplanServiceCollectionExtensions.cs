using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>Wiring of dialplan composition.</summary>
public static class DialplanServiceCollectionExtensions
{
    /// <summary>Adds the dialplan service: it follows module enable/disable and applies once after start-up.</summary>
    public static IServiceCollection AddPbxDialplan(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DialplanOptions>().Bind(configuration.GetSection(DialplanOptions.SectionName));
        services.AddOptions<AgiDialplanOptions>().Bind(configuration.GetSection(AgiDialplanOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgiDialplanOptions>, AgiDialplanOptionsValidator>();
        services.AddSingleton<DialplanService>();
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<DialplanService>());
        services.AddSingleton<IModuleServicesProvider, DialplanModuleServices>();
        services.AddHostedService<DialplanStartup>();
        return services;
    }

    /// <summary>
    /// Writes the dialplan once all modules have started (hosted services start in registration order),
    /// and leaves it as it is when the host stops. Modules are wired out in the host's stopping phase
    /// (<see cref="ModuleHostedService.StoppingAsync"/>), so the dialplan must stop following them in
    /// that phase too, not later in <see cref="StopAsync"/>: otherwise every shutdown would rewrite the
    /// file without any module's lines and the PBX would run without its hooks (fail-open) while the
    /// daemon is down. Stopping hooks run in reverse registration order, this one before the modules'; the
    /// application-stopping token (fired first on SIGTERM) covers the other order as well.
    /// </summary>
    private sealed class DialplanStartup(DialplanService dialplan, IHostApplicationLifetime lifetime) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(dialplan.StopFollowingModules);
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => dialplan.ApplyAsync(cancellationToken);

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            dialplan.StopFollowingModules();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            dialplan.StopFollowingModules();
            return Task.CompletedTask;
        }

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
