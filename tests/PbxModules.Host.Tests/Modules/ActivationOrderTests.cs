using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Agi;
using PbxModules.Host.Ami;
using PbxModules.Host.Dialplan;
using PbxModules.Host.Modules;
using PbxModules.Host.Scheduling;
using PbxModules.Host.Supervision;
using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Modules;

/// <summary>The surfaces are wired in by their declared order, not by the order Program.cs registers them in.</summary>
public sealed class ActivationOrderTests
{
    [Fact]
    public async Task The_daemon_wires_a_module_into_services_first_and_REST_last()
    {
        await using var host = await RestHost.StartAsync();

        var listeners = host.Manager.Listeners;

        Assert.Equal(
            [typeof(ModuleServiceRunner), typeof(ModuleJobScheduler), typeof(DialplanService), typeof(BreakerReset), typeof(AgiRouter), typeof(AmiWorkerSupervisor), typeof(Host.Rest.ModuleEndpoints.ModuleRestActivationListener)],
            listeners.Select(l => l.GetType()));
        Assert.Equal(listeners.Select(l => l.Order).Order(), listeners.Select(l => l.Order));
    }

    [Fact]
    public async Task Listeners_registered_in_reverse_are_still_called_in_their_order_in_and_in_reverse_out()
    {
        var calls = new List<string>();
        await using var host = new ModuleHostFixture();
        host.AddModule("GoodModule");
        host.ConfigureServices = services =>
        {
            services.AddSingleton<IModuleActivationListener>(new Recording(ActivationOrder.Rest, calls));
            services.AddSingleton<IModuleActivationListener>(new Recording(ActivationOrder.Agi, calls));
            services.AddSingleton<IModuleActivationListener>(new Recording(ActivationOrder.Jobs, calls));
        };
        var manager = await host.StartAsync();

        await manager.DisableAsync(ModuleHostFixture.GoodId, null, CancellationToken.None);

        Assert.Equal(["in Jobs", "in Agi", "in Rest", "out Rest", "out Agi", "out Jobs"], calls);
    }

    private sealed class Recording(ActivationOrder order, List<string> calls) : IModuleActivationListener
    {
        public ActivationOrder Order => order;

        public Task OnModuleEnabledAsync(LoadedModule module, CancellationToken cancellationToken)
        {
            calls.Add($"in {order}");
            return Task.CompletedTask;
        }

        public Task OnModuleDisablingAsync(LoadedModule module, CancellationToken cancellationToken)
        {
            calls.Add($"out {order}");
            return Task.CompletedTask;
        }
    }
}
