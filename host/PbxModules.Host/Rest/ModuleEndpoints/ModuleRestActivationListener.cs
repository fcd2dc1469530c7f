using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Rest.ModuleEndpoints;

/// <summary>
/// Wires a module's REST resources in when it is enabled (refusing it, with the reason, when a
/// resource breaks a rule or collides with another module's route) and out when it is disabled:
/// endpoints removed and calls in flight drained, so that no request reaches the module any more.
/// </summary>
/// <remarks>
/// Framework caches filled while the endpoints were built (ASP.NET Core's parameter binding, the
/// OpenAPI schema cache) may still name the module's types and so keep its load context in memory
/// until the daemon restarts; <see cref="UnloadedModuleContexts"/> reports how many are left.
/// </remarks>
internal sealed partial class ModuleRestActivationListener(
    ModuleEndpointDataSource dataSource,
    ModuleEndpointFactory factory,
    IOptionsMonitor<ModuleHostOptions> options,
    ILogger<ModuleRestActivationListener> logger) : IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Rest;

    public Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        if (!module.Contributions.Any(c => c.Kind == Sdk.Modules.ContributionKind.RestResource)) return Task.CompletedTask;
        var set = factory.Build(module.Id, module.Services, module.Contributions);
        dataSource.Add(set);
        LogMapped(logger, module.Id, set.Endpoints.Count);
        return Task.CompletedTask;
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        var set = dataSource.Remove(module.Id);
        if (set is null) return;
        // The container is disposed only after this returns: calls still running at the time-out are
        // aborted (their RequestAborted fires) and get the gate's grace to end.
        var timeout = options.CurrentValue.DrainTimeout;
        var draining = set.Gate.DrainAsync(timeout, cancellationToken);
        if (!draining.IsCompleted) LogDraining(logger, module.Id, set.Gate.InFlight, timeout.TotalSeconds);
        var drained = await draining;
        if (drained.Aborted > 0) LogDrainTimedOut(logger, module.Id, timeout.TotalSeconds, drained.Aborted, drained.StillRunning);

        LogUnmapped(logger, module.Id, set.Endpoints.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId}: {Count} REST endpoint(s) mapped")]
    private static partial void LogMapped(ILogger logger, string moduleId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId}: {Count} REST endpoint(s) removed")]
    private static partial void LogUnmapped(ILogger logger, string moduleId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId}: waiting up to {Seconds} s for {Count} REST call(s) in flight")]
    private static partial void LogDraining(ILogger logger, string moduleId, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: REST calls still running after {Seconds} s; {Aborted} aborted, {StillRunning} still running after the grace; disabling goes on without them")]
    private static partial void LogDrainTimedOut(ILogger logger, string moduleId, double seconds, int aborted, int stillRunning);
}
