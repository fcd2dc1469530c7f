using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>
/// Starts a module's <see cref="IModuleService"/>s when it is enabled, and stops them (in reverse
/// order) when it is disabled. Registered as the first activation listener, so services are up
/// before any route, worker, endpoint or job of the module can use them, and stopped after.
/// </summary>
internal sealed partial class ModuleServiceRunner(ILogger<ModuleServiceRunner> logger) : IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Services;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    public async Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        var started = new List<IModuleService>();
        try
        {
            foreach (var service in Services(module))
            {
                await service.StartAsync(cancellationToken);
                started.Add(service);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            for (var i = started.Count - 1; i >= 0; i--) await StopAsync(module.Id, started[i]);
            throw new ModuleLoadException($"Service {ex.TargetSite?.DeclaringType?.Name ?? "of the module"} failed to start: {ex.Message}", ex);
        }
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        foreach (var service in Services(module).Reverse()) await StopAsync(module.Id, service);
    }

    private async Task StopAsync(string moduleId, IModuleService service)
    {
        try
        {
            using var cts = new CancellationTokenSource(StopTimeout);
            await service.StopAsync(cts.Token);
        }
        catch (Exception ex)
        {
            LogStopFailed(logger, ex, moduleId, service.GetType().Name);
        }
    }

    private static IEnumerable<IModuleService> Services(LoadedModule module)
        => module.Contributions.Where(c => c.Kind == ContributionKind.Service)
            .Select(c => (IModuleService)module.Services.GetRequiredService(c.ImplementationType));

    [LoggerMessage(Level = LogLevel.Error, Message = "Service {Service} of module {ModuleId} failed to stop")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string moduleId, string service);
}
