using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxModules.Asterisk.Ami;
using PbxModules.Host.Draining;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Ami;

/// <summary>
/// Starts each enabled module's <see cref="IAmiWorker"/>s on the host's one AMI connection, and stops
/// them (cancelling them and waiting out the current event, up to <see cref="ModuleHostOptions.DrainTimeout"/>)
/// before the module is disabled or the host stops.
/// </summary>
public sealed class AmiWorkerSupervisor(
    AmiClient client,
    ModuleCrashBreaker breaker,
    IOptions<AmiWorkerOptions> options,
    IOptionsMonitor<ModuleHostOptions> hostOptions,
    TimeProvider time,
    ILogger<AmiWorkerSupervisor> logger,
    AmiWorkerDispatch dispatch) : IModuleActivationListener
{
    private readonly ConcurrentDictionary<string, (ModuleWorkGate Gate, IReadOnlyList<AmiWorkerRunner> Runners)> _modules = new(StringComparer.Ordinal);

    public ActivationOrder Order => ActivationOrder.AmiWorkers;

    /// <summary>The running workers by module, for diagnostics.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(string Name, AmiSubscriberStats Stats)>> Workers
        => _modules.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<(string, AmiSubscriberStats)>)[.. kv.Value.Runners.Select(r => (r.Name, r.Stats))]);

    /// <summary>The running workers and the events each is given (the test host waits for those an event goes to).</summary>
    public IReadOnlyList<(string Name, AmiSubscription Subscription)> Subscriptions
        => [.. _modules.Values.SelectMany(m => m.Runners).Where(r => r.IsRunning).Select(r => (r.Name, r.Subscription))];

    public async Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        var gate = new ModuleWorkGate(time);
        var runners = new List<AmiWorkerRunner>();
        try
        {
            foreach (var contribution in module.Contributions.Where(c => c.Kind == ContributionKind.AmiWorker))
            {
                var worker = (IAmiWorker)module.Services.GetRequiredService(contribution.ImplementationType);
                runners.Add(new AmiWorkerRunner(module.Id, worker, client, breaker, gate, options.Value, time, logger, dispatch));
            }
        }
        catch
        {
            // A worker that cannot be created fails the module, and the module manager winds back only
            // the listeners that succeeded: the workers already started here must be stopped, or they
            // would go on running the failed (and unloaded) module's code.
            await StopAsync(gate, runners, CancellationToken.None);
            throw;
        }
        if (runners.Count > 0) _modules[module.Id] = (gate, runners);
    }

    public async Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
    {
        if (!_modules.TryRemove(module.Id, out var workers)) return;
        await StopAsync(workers.Gate, workers.Runners, cancellationToken);
    }

    private async Task StopAsync(ModuleWorkGate gate, IReadOnlyList<AmiWorkerRunner> runners, CancellationToken cancellationToken)
    {
        foreach (var runner in runners) runner.Unsubscribe();
        var timeout = hostOptions.CurrentValue.DrainTimeout;
        var stopped = await gate.AbortAsync(timeout, cancellationToken);
        if (stopped.StillRunning > 0)
        {
            foreach (var runner in runners) runner.ReportIfStillRunning(timeout);
        }
        await Task.WhenAll(runners.Select(r => r.NotifyStoppedAsync(timeout)));
    }
}
