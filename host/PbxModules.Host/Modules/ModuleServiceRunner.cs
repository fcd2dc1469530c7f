using Microsoft.Extensions.Options;
using PbxModules.Host.Draining;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>
/// Starts a module's <see cref="IModuleService"/>s when it is enabled, and stops them (in reverse
/// order) when it is disabled. Registered as the first activation listener, so services are up
/// before any route, worker, endpoint or job of the module can use them, and stopped after.
/// Stopping is work on a <see cref="ModuleWorkGate"/>: the services' stop token is cancelled after
/// <see cref="ModuleHostOptions.DrainTimeout"/>, and a service that ignores it is left behind after
/// the grace, so that a hung stop cannot hold up disabling for ever.
/// </summary>
internal sealed partial class ModuleServiceRunner(IOptionsMonitor<ModuleHostOptions> options, TimeProvider time, ILogger<ModuleServiceRunner> logger) : IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Services;

    public async Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        var started = new List<IModuleService>();
        Type? current = null;
        try
        {
            foreach (var type in ServiceTypes(module))
            {
                current = type;
                var service = (IModuleService)module.Services.GetRequiredService(type);
                await service.StartAsync(cancellationToken);
                started.Add(service);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            started.Reverse();
            await StopAsync(module.Id, started, CancellationToken.None);
            throw new ModuleLoadException($"Service {current?.Name ?? "of the module"} failed to start: {ex.Message}", ex);
        }
    }

    public Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
        => StopAsync(module.Id, [.. ServiceTypes(module).Reverse().Select(t => (IModuleService)module.Services.GetRequiredService(t))], cancellationToken);

    /// <summary>Stops <paramref name="services"/> one after the other, within the drain time-out and the grace.</summary>
    private async Task StopAsync(string moduleId, IReadOnlyList<IModuleService> services, CancellationToken cancellationToken)
    {
        if (services.Count == 0) return;
        var gate = new ModuleWorkGate(time);
        gate.TryEnter();
        // On the thread pool: a service that blocks in StopAsync must not keep the drain's clock from starting.
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var service in services) await StopOneAsync(moduleId, service, gate.AbortToken);
            }
            finally
            {
                gate.Leave();
            }
        }, CancellationToken.None);
        var timeout = options.CurrentValue.DrainTimeout;
        var drained = await gate.DrainAsync(timeout, cancellationToken);
        if (drained.StillRunning > 0) LogStopTimedOut(logger, moduleId, timeout.TotalSeconds);
    }

    private async Task StopOneAsync(string moduleId, IModuleService service, CancellationToken cancellationToken)
    {
        try
        {
            await service.StopAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            LogStopFailed(logger, ex, moduleId, service.GetType().Name);
        }
    }

    private static IEnumerable<Type> ServiceTypes(LoadedModule module)
        => module.Contributions.Where(c => c.Kind == ContributionKind.Service).Select(c => c.ImplementationType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Service {Service} of module {ModuleId} failed to stop")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string moduleId, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Services of module {ModuleId} did not stop within {Seconds} s and the grace after; disabling goes on without them")]
    private static partial void LogStopTimedOut(ILogger logger, string moduleId, double seconds);
}
