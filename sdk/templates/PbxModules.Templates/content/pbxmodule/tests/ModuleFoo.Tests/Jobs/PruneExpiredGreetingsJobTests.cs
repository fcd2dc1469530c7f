using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModuleFoo.Jobs;

namespace ModuleFoo.Tests.Jobs;

/// <summary>
/// The hourly job, run by hand on the fake clock (the host's scheduler only decides when). The test resolves
/// the job from the module's own container, so the module's assembly is shared with the test (ShareModuleAssemblies).
/// </summary>
public sealed class PruneExpiredGreetingsJobTests
{
    [Fact]
    public async Task The_host_schedules_the_job_every_hour_while_the_module_is_enabled()
    {
        await using var host = await FooHost.StartAsync();

        await host.WaitForLogAsync("Job PruneExpiredGreetingsJob of module module-foo scheduled every 01:00:00");
    }

    [Fact]
    public async Task Only_the_greetings_that_expired_are_deleted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var host = await FooHost.StartAsync(time, o => o.ShareModuleAssemblies = true);
        await host.AddGreetingAsync("+15550400", "custom/holiday", expiresAt: time.GetUtcNow().AddHours(1));
        var kept = await host.AddGreetingAsync("+15550401", "custom/welcome");
        time.Advance(TimeSpan.FromHours(2));

        int pruned;
        await using (var scope = host.ModuleServices("module-foo").CreateAsyncScope())
            pruned = await scope.ServiceProvider.GetRequiredService<PruneExpiredGreetingsJob>().PruneAsync(CancellationToken.None);

        Assert.Equal(1, pruned);
        await host.WaitForLogAsync("Pruned 1 expired greeting(s)");
        using var list = await host.Rest.GetAsync(FooHost.Greetings);
        var page = await FooHost.ReadAsync(list);
        Assert.Equal(kept, Assert.Single(page.GetProperty("data").EnumerateArray()).GetProperty("id").GetInt32());
    }
}
