using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Ami;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Ami;

/// <summary>
/// Starts each enabled module's <see cref="IAmiWorker"/>s on the host's one AMI connection, and stops
/// them (waiting out the current event) before the module is disabled or the host stops.
/// </summary>
public sealed class AmiWorkerSupervisor(
    AmiClient client,
    ModuleCrashBreaker breaker,
    IOptions<AmiWorkerOptions> options,
    TimeProvider time,
    ILogger<AmiWorkerSupervisor> logger) : IModuleActivationListener
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<AmiWorkerRunner>> _runners = new(StringComparer.Ordinal);

    public ActivationOrder Order => ActivationOrder.AmiWorkers;

    /// <summary>The running workers by module, for diagnostics.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Name, AmiSubscriberStats Stats)>> Workers
        => _runners.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<(string, AmiSubscriberStats)>)[.. kv.Value.Select(r => (r.Name, r.Stats))]);

    public async Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        var runners = new List<AmiWorkerRunner>();
        try
        {
            foreach (var contribution in module.Contributions.Where(c => c.Kind == ContributionKind.AmiWorker))
            {
                var worker = (IAmiWorker)module.Services.GetRequiredService(contribution.ImplementationType);
                runners.Add(new AmiWorkerRunner(module.Id, worker, client, breaker, options.Value, time, logger));
            }
        }
        catch
        {
            // A worker that cannot be created fails the module, and the module manager winds back only
            // the listeners that succeeded: the workers already started here must be stopped, or they
            // would go on running the failed (and unloaded) module's code.
            await Task.WhenAll(runners.Select(r => r.DisposeAsync().AsTask()));
            throw;
        }
        if (runners.Count > 0) _runners[module.Id] = runners;
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        if (!_runners.TryRemove(module.Id, out var runners)) return;
        await Task.WhenAll(runners.Select(r => r.DisposeAsync().AsTask()));
    }
}
