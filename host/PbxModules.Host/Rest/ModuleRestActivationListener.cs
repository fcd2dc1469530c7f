using System.Runtime.Loader;
using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Rest;

/// <summary>
/// Wires a module's REST resources in when it is enabled (refusing it, with the reason, when a
/// resource breaks a rule or collides with another module's route) and out when it is disabled:
/// endpoints removed, calls in flight drained, and the module's types scrubbed from ASP.NET Core's
/// process-wide binding caches so that its load context can be collected.
/// </summary>
internal sealed partial class ModuleRestActivationListener(
    ModuleEndpointDataSource dataSource,
    ModuleEndpointFactory factory,
    IServiceProvider services,
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

        var loadContexts = module.Contributions
            .Select(c => AssemblyLoadContext.GetLoadContext(c.ImplementationType.Assembly))
            .OfType<AssemblyLoadContext>()
            .Where(c => c.IsCollectible)
            .Distinct()
            .ToList();
        var scrubbed = loadContexts.Sum(BindingCacheScrubber.Scrub) + loadContexts.Sum(c => ApiDocument.ForgetModule(services, c));
        LogUnmapped(logger, module.Id, set.Endpoints.Count, scrubbed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId}: {Count} REST endpoint(s) mapped")]
    private static partial void LogMapped(ILogger logger, string moduleId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId}: {Count} REST endpoint(s) removed; {Scrubbed} cached binding entries of its types dropped")]
    private static partial void LogUnmapped(ILogger logger, string moduleId, int count, int scrubbed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId}: waiting up to {Seconds} s for {Count} REST call(s) in flight")]
    private static partial void LogDraining(ILogger logger, string moduleId, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: REST calls still running after {Seconds} s; {Aborted} aborted, {StillRunning} still running after the grace; disabling goes on without them")]
    private static partial void LogDrainTimedOut(ILogger logger, string moduleId, double seconds, int aborted, int stillRunning);
}
