using System.Net;

namespace PbxModules.Host.Tests.Rest.ModuleEndpoints;

/// <summary>
/// Disabling a module removes its endpoints at once but lets the calls already running finish on its
/// live container; a call still running at <c>ModuleHost:DrainTimeout</c> is told to stop (its token),
/// and the container goes only after it has ended or its grace has run out.
/// </summary>
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
        Assert.Equal(PbxModules.Host.Modules.ModuleState.Disabled, host.Manager.Registry.GetModule(RestHost.ModuleId)!.State);
    }

    [Fact]
    public async Task A_call_still_running_at_the_drain_time_out_is_cancelled_and_ends_before_the_container_is_disposed()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ModuleHost:DrainTimeout"] = "00:00:10",
            ["Logging:LogLevel:PbxModules.Host.Rest.ModuleEndpoints.ModuleRestActivationListener"] = "Information",
        });
        using var admin = await host.AdminAsync();
        var data = Path.Combine(host.DataDirectory, "modules", RestHost.ModuleId);

        var slow = admin.GetAsync("/pbxcore/api/v3/test-rest/numbers:slow");
        await WaitUntilAsync(() => Task.FromResult(File.Exists(Path.Combine(data, "slow.started")) || slow.IsCompleted), "slow call started");
        var disable = admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:disable", null);
        // The drain's clock (the host's fake one) is running once it says it waits.
        await WaitUntilAsync(() => Task.FromResult(host.Logs.Any(l => l.Contains($"Module {RestHost.ModuleId}: waiting up to 10 s for 1 REST call(s) in flight", StringComparison.Ordinal)) || disable.IsCompleted), "drain started");
        Assert.False(slow.IsCompleted);

        host.Time.Advance(TimeSpan.FromSeconds(10));

        // The call's token is cancelled; it goes on cleaning up, and disabling waits for it (the grace,
        // on the fake clock, does not run out): the container is not disposed under the call.
        await WaitUntilAsync(() => Task.FromResult(File.Exists(Path.Combine(data, "slow.cancelled")) || slow.IsCompleted), "slow call cancelled");
        Assert.False(slow.IsCompleted);
        Assert.False(disable.IsCompleted);
        await File.WriteAllTextAsync(Path.Combine(data, "slow.release"), "");
        using var answered = await slow;
        var answer = (await RestHost.BodyAsync(answered)).GetProperty("data");
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.True(answer.GetProperty("cancelled").GetBoolean());
        Assert.False(answer.GetProperty("containerDisposed").GetBoolean());

        using var disabled = await disable;
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(PbxModules.Host.Modules.ModuleState.Disabled, host.Manager.Registry.GetModule(RestHost.ModuleId)!.State);
        Assert.Contains(host.Logs, l => l.Contains($"Module {RestHost.ModuleId}: REST calls still running after 10 s; 1 aborted, 0 still running after the grace", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_that_stops_when_told_at_the_drain_time_out_is_answered_503_naming_the_module()
    {
        await using var host = await RestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:PbxModules.Host.Rest.ModuleEndpoints.ModuleRestActivationListener"] = "Information",
        });
        using var admin = await host.AdminAsync();
        var bearer = admin.DefaultRequestHeaders.Authorization!.ToString();
        var data = Path.Combine(host.DataDirectory, "modules", RestHost.ModuleId);

        // The upload waits for a body that never comes: only its token can end it.
        var upload = RawHttp.DeclareAsync(host.Port, "/pbxcore/api/v3/test-rest/numbers:upload", 1000, bearer);
        await WaitUntilAsync(() => Task.FromResult(File.Exists(Path.Combine(data, "upload.started")) || upload.IsCompleted), "upload started");
        var disable = admin.PostAsync($"/pbxcore/api/v3/modules/{RestHost.ModuleId}:disable", null);
        await WaitUntilAsync(() => Task.FromResult(host.Logs.Any(l => l.Contains($"Module {RestHost.ModuleId}: waiting up to 10 s for 1 REST call(s) in flight", StringComparison.Ordinal)) || disable.IsCompleted), "drain started");
        Assert.False(upload.IsCompleted);

        host.Time.Advance(TimeSpan.FromSeconds(10));

        var answer = await upload;
        Assert.Equal(503, answer.Status);
        Assert.Contains($"Module '{RestHost.ModuleId}' was disabled while POST /pbxcore/api/v3/test-rest/numbers:upload ran; the call was stopped.", answer.Body.ToString(), StringComparison.Ordinal);
        using var disabled = await disable;
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
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
