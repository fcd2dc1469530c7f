using PbxModules.Host.Modules;

namespace PbxModules.Host.Supervision;

/// <summary>A module enabled (or disabled) by the administrator starts with a clean failure count and no quarantine.</summary>
internal sealed class BreakerReset(ModuleCrashBreaker breaker) : IModuleActivationListener
{
    public ActivationOrder Order => ActivationOrder.Supervision;

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
