using PbxModules.Host.Tests.Rest;

namespace PbxModules.Host.Tests.Modules;

/// <summary>The daemon's stop: modules leave while the services they use (Quartz, AMI, Kestrel) still run.</summary>
public sealed class ModuleHostedServiceTests
{
    [Fact]
    public async Task A_graceful_stop_wires_modules_out_before_the_scheduler_shuts_down_and_logs_no_error()
    {
        var host = await RestHost.StartAsync();
        var manager = host.Manager;
        Assert.NotEmpty(manager.Registry.EnabledModules);

        await host.DisposeAsync();

        Assert.Empty(manager.Registry.EnabledModules);
        var errors = host.Logs.Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, "the stop logged:\n" + string.Join("\n", errors));
    }
}
