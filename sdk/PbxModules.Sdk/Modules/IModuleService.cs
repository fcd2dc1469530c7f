namespace PbxModules.Sdk.Modules;

/// <summary>
/// A long-running part of a module that is not tied to one surface (loading an in-memory index,
/// a batching writer). The host starts it each time the module is loaded and enabled (start-up,
/// enable), before the module's AGI routes, workers, endpoints and jobs are wired in, and stops
/// it when the module is disabled or the host stops, after they are wired out. Register it with
/// <see cref="ModuleServiceCollectionExtensions.AddModuleService{TService}"/>; it is a singleton, so
/// other services can depend on it.
/// </summary>
public interface IModuleService
{
    /// <summary>Starts the service. Keep it short: long work (loading data) belongs in a background task the service owns.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the service, flushing what it holds.</summary>
    /// <param name="cancellationToken">
    /// Cancelled when stopping has taken longer than the host's <c>ModuleHost:DrainTimeout</c>; a few
    /// seconds later the module is unloaded whether or not this has returned.
    /// </param>
    Task StopAsync(CancellationToken cancellationToken);
}
