using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Asterisk.Ami;
using PbxModules.Host.Agi;
using PbxModules.Host.Dialplan;
using PbxModules.Host.Modules;
using Microsoft.Extensions.Options;
using PbxModules.Host.Supervision;

namespace PbxModules.Host.Ami;

/// <summary>Wiring of the Asterisk-facing surfaces: the AMI connection and module workers, the FastAGI server and routing.</summary>
public static class AsteriskServiceCollectionExtensions
{
    /// <summary>
    /// Adds the AMI client (section <c>Ami</c>), the FastAGI server (section <c>Agi</c>; mount it with
    /// <c>kestrel.ListenFastAgi()</c>), AGI routing to module handlers, module AMI workers, the crash-loop
    /// breaker (section <c>Supervision</c>), and their health checks.
    /// </summary>
    public static IServiceCollection AddPbxAsterisk(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAmiClient(configuration.GetSection("Ami"));
        services.AddOptions<FastAgiOptions>().Bind(configuration.GetSection(FastAgiOptions.SectionName));
        services.AddFastAgi();
        services.AddOptions<AgiRoutingOptions>().Bind(configuration.GetSection(AgiRoutingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgiRoutingOptions>, AgiRoutingOptionsValidator>();
        services.AddOptions<SupervisionOptions>().Bind(configuration.GetSection(SupervisionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SupervisionOptions>, SupervisionOptionsValidator>();
        services.AddOptions<AmiWorkerOptions>().Bind(configuration.GetSection(AmiWorkerOptions.SectionName));

        services.AddSingleton<ModuleCrashBreaker>();
        services.AddSingleton<IModuleActivationListener, BreakerReset>();
        services.AddSingleton<AgiRouter>();
        services.AddSingleton<IAgiSessionHandler>(sp => sp.GetRequiredService<AgiRouter>());
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<AgiRouter>());
        services.AddSingleton<AmiWorkerSupervisor>();
        services.AddSingleton<IModuleActivationListener>(sp => sp.GetRequiredService<AmiWorkerSupervisor>());
        services.AddSingleton<IModuleServicesProvider, AmiModuleServices>();
        services.AddHostedService<DialplanReloadOnConnect>();

        services.AddHealthChecks()
            .AddCheck<AmiHealthCheck>("ami")
            .AddCheck<DialplanHealthCheck>("dialplan");
        return services;
    }

    /// <summary>A module enabled (or disabled) by the administrator starts with a clean failure count and no quarantine.</summary>
    private sealed class BreakerReset(ModuleCrashBreaker breaker) : IModuleActivationListener
    {
        public Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
        {
            breaker.Reset(module.Id);
            return Task.CompletedTask;
        }

        public Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
        {
            breaker.Reset(module.Id);
            return Task.CompletedTask;
        }
    }

    /// <summary>Sends a dialplan reload that was written while AMI was down, as soon as AMI logs in.</summary>
    private sealed class DialplanReloadOnConnect(AmiClient client, DialplanService dialplan) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            client.StateChanged += OnStateChanged;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            client.StateChanged -= OnStateChanged;
            return Task.CompletedTask;
        }

        private void OnStateChanged(object? sender, AmiConnectionStateChangedEventArgs e)
        {
            if (e.Current == AmiConnectionState.Connected) _ = dialplan.ReloadIfPendingAsync(CancellationToken.None);
        }
    }
}
