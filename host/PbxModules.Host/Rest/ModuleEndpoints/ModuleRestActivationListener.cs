using System.Runtime.Loader;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Rest.ModuleEndpoints;

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
    ILogger<ModuleRestActivationListener> logger) : IModuleActivationListener
{
    /// <summary>How long disabling waits for REST calls in flight before it goes on regardless.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DrainTimeout);
        try
        {
            await set.Gate.CloseAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimedOut(logger, module.Id, DrainTimeout.TotalSeconds);
        }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: REST calls still running after {Seconds} s; disabling goes on without them")]
    private static partial void LogDrainTimedOut(ILogger logger, string moduleId, double seconds);
}
