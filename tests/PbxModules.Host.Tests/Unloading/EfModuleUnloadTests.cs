using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Unloading;

/// <summary>
/// A disabled module that uses EF Core (a <c>ModuleDbContext</c> registered with
/// <c>AddModuleDbContext</c>, its table created by the host, a row written and a query compiled when
/// enabled) is really collected. This holds because the host gives each module its own EF Core
/// internal service provider (<c>SqliteModuleDatabase</c>); with EF Core's default, process-wide
/// <c>ServiceProviderCache</c> the module's model and compiled queries stay rooted for ever and
/// these tests fail (docs/UNLOADING.md). Every step that touches module objects runs in a
/// non-inlined helper, so no local of a test keeps the context alive.
/// </summary>
public sealed class EfModuleUnloadTests : IAsyncLifetime
{
    private const string EfId = "test-ef";
    private const int MaxCollections = 250;
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Disabling_a_module_that_uses_EF_Core_lets_the_runtime_collect_its_load_context()
    {
        _host.AddModule("EfModule");
        await _host.StartAsync();
        Assert.Equal("1", EnabledCount());
        Assert.Contains(ReferencedAssemblies(_host.Manager), name => name == "Microsoft.EntityFrameworkCore");

        var weak = ContextOf(_host.Manager);
        await DisableAsync(_host.Manager);
        Assert.Equal(1, _host.UnloadedContexts.Unloaded);
        await LeaveTheCompletingStackAsync();

        Assert.True(await IsCollectedAsync(weak), $"The load context of {EfId} is still alive after {MaxCollections} collections.");
        Assert.Empty(_host.UnloadedContexts.StillAlive());
    }

    [Fact]
    public async Task Every_enable_disable_cycle_of_an_EF_Core_module_is_collected_and_its_data_stays()
    {
        _host.AddModule("EfModule");
        await _host.StartAsync();
        var contexts = new List<WeakReference> { ContextOf(_host.Manager) };
        await DisableAsync(_host.Manager);

        for (var cycle = 2; cycle <= 3; cycle++)
        {
            await EnableAsync(_host.Manager);
            // The module's private EF Core services are new, its database file is the same.
            Assert.Equal(cycle.ToString(System.Globalization.CultureInfo.InvariantCulture), EnabledCount());
            contexts.Add(ContextOf(_host.Manager));
            await DisableAsync(_host.Manager);
        }
        Assert.Equal(3, _host.UnloadedContexts.Unloaded);
        await LeaveTheCompletingStackAsync();

        Assert.Equal(3, contexts.Distinct().Count());
        for (var i = 0; i < contexts.Count; i++)
            Assert.True(await IsCollectedAsync(contexts[i]), $"The load context of cycle {i + 1} of {EfId} is still alive after {MaxCollections} collections.");
        Assert.Empty(_host.UnloadedContexts.StillAlive());
    }

    [Fact]
    public async Task Disabling_an_EF_Core_module_closes_its_pooled_connections_to_the_database_file()
    {
        _host.AddModule("EfModule");
        await _host.StartAsync();
        var database = Path.Combine(_host.DataDirectory, "modules", EfId + ".db");
        Assert.NotEmpty(OpenDescriptorsOf(database)); // the pool keeps the connection of the enable hook open

        await DisableAsync(_host.Manager);

        Assert.Empty(OpenDescriptorsOf(database));
    }

    /// <summary>This process's open file descriptors on the SQLite file or its -wal/-shm companions (Linux, as the daemon).</summary>
    private static string[] OpenDescriptorsOf(string database)
    {
        var full = Path.GetFullPath(database);
        return [.. Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd =>
            {
                try { return new FileInfo(fd).LinkTarget; }
                catch (IOException) { return null; } // closed while enumerating
            })
            .Where(target => target is not null && target.StartsWith(full, StringComparison.Ordinal))
            .Select(target => target!)];
    }

    private string EnabledCount() => File.ReadAllText(Path.Combine(_host.ModuleDataDirectory(EfId), "enabled.count"));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string[] ReferencedAssemblies(ModuleManager manager)
        => [.. manager.Registry.EnabledModules.Single().EntryPoint.GetType().Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)];

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task EnableAsync(ModuleManager manager)
    {
        var result = await manager.EnableAsync(EfId, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, result.Status);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ContextOf(ModuleManager manager)
        => new(AssemblyLoadContext.GetLoadContext(manager.Registry.EnabledModules.Single().EntryPoint.GetType().Assembly));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task DisableAsync(ModuleManager manager)
    {
        var result = await manager.DisableAsync(EfId, null, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, result.Status);
        Assert.Empty(manager.Registry.EnabledModules);
    }

    /// <summary>See ModuleUnloadTests: continue on a fresh thread-pool stack before collecting.</summary>
    private static async Task LeaveTheCompletingStackAsync() => await Task.Yield();

    /// <summary>
    /// Collects until the context is gone, at most <see cref="MaxCollections"/> times, pausing between
    /// attempts: the host's async frames that ran the module's last hook may still be unwinding on
    /// another thread-pool thread (holding the module's objects), later still on a loaded machine, so
    /// the pause awaits instead of blocking a pool thread. A context that is really rooted stays alive
    /// however long this waits (about five seconds at most); with EF Core's static service provider
    /// cache in play it never goes.
    /// </summary>
    private static async Task<bool> IsCollectedAsync(WeakReference weak)
    {
        for (var i = 0; i < MaxCollections && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (weak.IsAlive) await Task.Delay(20);
        }
        return !weak.IsAlive;
    }
}
