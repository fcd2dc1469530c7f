using System.Net;

namespace PbxModules.Host.Tests.Rest.ModuleEndpoints;

/// <summary>Disabling a module removes its endpoints at once but lets the calls already running finish on its live container.</summary>
public sealed class DrainTests
{
    [Fact]
    public async Task Disable_waits_for_calls_in_flight_which_finish_normally()
    {
        await using var host = await RestHost.StartAsync();
        using var admin = await host.AdminAsync();
        var data = Path.Combine(host.DataDirectory, "modules", RestHost.ModuleId);

        var slow = admin.GetAsync("/pbxcore/api/v3/test-rest/numbers:slow");
        await WaitUntilAsync(() => Task.FromResult(File.Exists(Path.Combine(data, "slow.started")) || slow.IsCompleted), "slow call started");
        Assert.False(slow.IsCompleted, slow.IsCompleted ? (await (await slow).Content.ReadAsStringAsync()) : "");

        var disable = admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:disable", null);
        // The endpoints go first: a new call is turned away while the slow one still runs…
        await WaitUntilAsync(async () =>
        {
            using var probe = await admin.GetAsync("/pbxcore/api/v3/test-rest/numbers");
            return probe.StatusCode == HttpStatusCode.NotFound || disable.IsCompleted;
        }, "endpoints removed");
        Assert.False(slow.IsCompleted);
        Assert.False(disable.IsCompleted);

        // …and once it is released it answers normally (its scope was not disposed under it), then disabling completes.
        await File.WriteAllTextAsync(Path.Combine(data, "slow.release"), "");
        using var answered = await slow;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var disabled = await disable;
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(PbxModules.Host.Modules.ModuleState.Disabled, host.Manager.GetModule(RestHost.ModuleId)!.State);
    }

    // Polls a condition. The bound only turns a hang into a failure naming the step; nothing is timed.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string step)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            Assert.False(bound.IsCancellationRequested, $"stuck waiting for: {step}");
            await Task.Delay(10);
        }
    }
}
