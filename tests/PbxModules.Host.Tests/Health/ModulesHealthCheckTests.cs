using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PbxModules.Host.Health;
using PbxModules.Host.Modules;
using PbxModules.Host.Supervision;

namespace PbxModules.Host.Tests.Health;

/// <summary>
/// The modules component of <c>/healthz</c> over a real module manager: Healthy, Degraded by a failed
/// module, Unhealthy while one is quarantined; and, as data that never changes the status, how many
/// unloaded load contexts the runtime still holds.
/// </summary>
public sealed class ModulesHealthCheckTests : IAsyncLifetime
{
    private readonly ModuleHostFixture _host = new();
    private ServiceProvider? _supervision;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_supervision is not null) await _supervision.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Enabled_modules_are_Healthy_and_counted()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();

        var result = await CheckAsync(Breaker());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("1 module(s) installed", result.Description);
        Assert.Equal(1, result.Data["enabled"]);
        Assert.Equal(0, result.Data["failed"]);
        Assert.Equal(0, result.Data["unloadedContexts"]);
        Assert.Equal(0, result.Data["unloadedContextsAlive"]);
    }

    [Fact]
    public async Task A_failed_module_makes_it_Degraded_naming_the_module()
    {
        _host.AddModule("GoodModule");
        _host.WriteManifestOnly("Broken", """{ "id": "test-broken", "name": "Broken", "version": "1.0.0", "sdk": "1.0.0", "assembly": "x.dll" }""");
        await _host.StartAsync();

        var result = await CheckAsync(Breaker());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("test-broken", result.Description, StringComparison.Ordinal);
        Assert.Equal(1, result.Data["failed"]);
    }

    [Fact]
    public async Task A_quarantined_enabled_module_makes_it_Unhealthy_with_the_reason()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        var breaker = Breaker();
        breaker.RecordFailure(ModuleHostFixture.GoodId, "boom");

        var result = await CheckAsync(breaker);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains($"{ModuleHostFixture.GoodId} quarantined until", result.Description, StringComparison.Ordinal);
        Assert.Contains("boom", result.Description, StringComparison.Ordinal);
        Assert.Equal(1, result.Data["quarantined"]);
        Assert.True(result.Data.ContainsKey($"quarantine:{ModuleHostFixture.GoodId}"));
    }

    [Fact]
    public async Task An_unloaded_context_still_alive_is_data_and_leaves_it_Healthy_until_collected()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        var breaker = Breaker();
        var (context, holder) = Hold(_host.Manager);
        await _host.Manager.DisableAsync(ModuleHostFixture.GoodId, null, CancellationToken.None);

        // Held strongly by this test, the context cannot be collected yet.
        var alive = await CheckAsync(breaker);
        Assert.Equal(HealthStatus.Healthy, alive.Status);
        Assert.Equal(1, alive.Data["unloadedContexts"]);
        Assert.Equal(1, alive.Data["unloadedContextsAlive"]);
        Assert.Equal(1, alive.Data[$"unloadedContextsAlive:{ModuleHostFixture.GoodId}"]);
        holder.Value = null;

        Assert.True(await CollectedAsync(context), "the disabled module's load context is still alive");
        var collected = await CheckAsync(breaker);
        Assert.Equal(1, collected.Data["unloadedContexts"]);
        Assert.Equal(0, collected.Data["unloadedContextsAlive"]);
        Assert.False(collected.Data.ContainsKey($"unloadedContextsAlive:{ModuleHostFixture.GoodId}"));
    }

    private Task<HealthCheckResult> CheckAsync(ModuleCrashBreaker breaker)
        => new ModulesHealthCheck(_host.Manager.Registry, breaker, _host.UnloadedContexts).CheckHealthAsync(new HealthCheckContext());

    private ModuleCrashBreaker Breaker()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.Configure<SupervisionOptions>(o => o.MaxFailures = 1);
        services.AddSingleton<ModuleCrashBreaker>();
        _supervision = services.BuildServiceProvider();
        return _supervision.GetRequiredService<ModuleCrashBreaker>();
    }

    /// <summary>The enabled module's load context, weakly, and a strong hold on it that the test lets go of.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Context, StrongBox<object?> Holder) Hold(ModuleManager manager)
    {
        var context = AssemblyLoadContext.GetLoadContext(manager.Registry.EnabledModules.Single().EntryPoint.GetType().Assembly);
        return (new WeakReference(context), new StrongBox<object?>(context));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<bool> CollectedAsync(WeakReference weak)
    {
        await Task.Yield();
        for (var i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return !weak.IsAlive;
    }
}
