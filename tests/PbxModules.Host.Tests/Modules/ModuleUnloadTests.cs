using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// A disabled module's load context is really collected — for a module without REST resources and
/// EF Core (those have tests of their own: Rest/ModuleEndpoints/RestUnloadTests, Unloading/) — and
/// <see cref="UnloadedModuleContexts"/> records it, then forgets it once collected. Every step that
/// touches module objects runs in a non-inlined helper, so no local of this test keeps the context alive.
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

        var weak = ContextOf(_host.Manager);
        await DisableAsync(_host.Manager);
        Assert.Equal(1, _host.UnloadedContexts.Unloaded);
        await LeaveTheCompletingStackAsync();

        Assert.True(IsCollected(weak), $"The load context of {ModuleHostFixture.GoodId} is still alive after {MaxCollections} collections.");
        Assert.Empty(_host.UnloadedContexts.StillAlive());
    }

    [Fact]
    public async Task The_tracker_records_the_disabled_modules_own_collectible_context()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        // Held strongly here, so the context cannot be collected before the tracker is read.
        var context = (AssemblyLoadContext)ContextOf(_host.Manager).Target!;

        await DisableAsync(_host.Manager);

        var unloaded = Assert.Single(_host.UnloadedContexts.StillAlive());
        Assert.Equal(ModuleHostFixture.GoodId, unloaded.ModuleId);
        Assert.Same(context, unloaded.Context.Target);
        Assert.True(context.IsCollectible);
        Assert.Contains(context.Assemblies, a => a.GetName().Name == "GoodModule");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<string> UseTheModuleAsync(ModuleManager manager)
    {
        var globals = await ModuleTestHelpers.ContributedGlobalsAsync(manager.Registry.EnabledModules.Single());
        return globals["TEST_GOOD"];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string[] ReferencedAssemblies(ModuleManager manager)
        => [.. manager.Registry.EnabledModules.Single().EntryPoint.GetType().Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(ModuleManager manager)
        => new(AssemblyLoadContext.GetLoadContext(manager.Registry.EnabledModules.Single().EntryPoint.GetType().Assembly));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task DisableAsync(ModuleManager manager)
    {
        var result = await manager.DisableAsync(ModuleHostFixture.GoodId, null, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Empty(manager.Registry.EnabledModules);
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
