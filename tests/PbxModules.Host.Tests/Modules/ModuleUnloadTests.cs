using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// A disabled module's load context is really collected — for a module that uses no EF Core (a
/// module with a DbContext: <c>Unloading/EfModuleUnloadTests</c>; what still stays alive in the
/// daemon: docs/UNLOADING.md). Every step that touches module objects runs in a non-inlined
/// helper, so no local of this test keeps the context alive.
/// </summary>
public sealed class ModuleUnloadTests : IAsyncLifetime
{
    private const int MaxCollections = 20;
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Disabling_a_module_that_uses_no_EF_Core_lets_the_runtime_collect_its_load_context()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        Assert.Equal("1", await UseTheModuleAsync(_host.Manager));
        Assert.DoesNotContain(ReferencedAssemblies(_host.Manager), name => name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));

        var weak = await DisableAsync(_host.Manager);
        await LeaveTheCompletingStackAsync();

        Assert.True(IsCollected(weak), $"The load context of {ModuleHostFixture.GoodId} is still alive after {MaxCollections} collections.");
    }

    [Fact]
    public async Task The_weak_reference_is_to_the_disabled_modules_own_collectible_context()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();

        var weak = await DisableAsync(_host.Manager);

        Assert.Equal((true, true), DescribeContext(weak));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<string> UseTheModuleAsync(ModuleManager manager)
    {
        var globals = await ModuleTestHelpers.ContributedGlobalsAsync(manager.EnabledModules.Single());
        return globals["TEST_GOOD"];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string[] ReferencedAssemblies(ModuleManager manager)
        => [.. manager.EnabledModules.Single().EntryPoint.GetType().Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> DisableAsync(ModuleManager manager)
    {
        var result = await manager.DisableAsync(ModuleHostFixture.GoodId, null, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Empty(manager.EnabledModules);
        return manager.LastUnloadedContext ?? throw new InvalidOperationException("Disabling unloaded nothing.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (bool IsCollectible, bool HoldsTheModule) DescribeContext(WeakReference weak)
    {
        // Runs before any collection; the context may still be alive here, which is what it inspects.
        if (weak.Target is not AssemblyLoadContext context) return (false, false);
        return (context.IsCollectible, context.Assemblies.Any(a => a.GetName().Name == "GoodModule"));
    }

    /// <summary>
    /// When the module's last hook completes asynchronously, everything after it (the host's
    /// unloading, then this test) runs inline on the thread that completed it, above the host's
    /// still-running async frames, whose state machines hold the module's container until they
    /// return. Checking collection from there would test the test, not the host: continue on a
    /// fresh thread-pool stack and let that one unwind (the bounded collection loop absorbs the race).
    /// </summary>
    private static async Task LeaveTheCompletingStackAsync() => await Task.Yield();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsCollected(WeakReference weak)
    {
        for (var i = 0; i < MaxCollections && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return !weak.IsAlive;
    }
}
