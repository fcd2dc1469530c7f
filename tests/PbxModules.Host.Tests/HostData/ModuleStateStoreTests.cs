using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Configuration;
using PbxModules.Host.HostData;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.HostData;

/// <summary>The state store on a real SQLite file: what one <c>SaveAsync(entry)</c> records of a module.</summary>
public sealed class ModuleStateStoreTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("pbxmodules-store-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private ServiceProvider _services = null!;

    private ModuleStateStore Store => _services.GetRequiredService<ModuleStateStore>();

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new PathsOptions { Data = _data }));
        services.AddSingleton<TimeProvider>(_time);
        services.AddHostDatabase();
        services.AddSingleton<ModuleStateStore>();
        _services = services.BuildServiceProvider();
        await HostDatabase.MigrateAsync(_services.GetRequiredService<IDbContextFactory<HostDbContext>>(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(HostDatabase.ConnectionString(_data)));
        Directory.Delete(_data, recursive: true);
    }

    private static ModuleEntry Entry(string id = "module-a", string folder = "/modules/ModuleA") => new(id, folder, null, null);

    [Fact]
    public async Task A_module_seen_for_the_first_time_and_never_installed_is_recorded_enabled_with_an_empty_version()
    {
        await Store.SaveAsync(Entry(), CancellationToken.None);

        var record = (await Store.GetAllAsync(CancellationToken.None))["module-a"];
        Assert.Equal(string.Empty, record.InstalledVersion);
        Assert.True(record.Enabled);
        Assert.Null(record.DisabledReason);
        Assert.Equal("ModuleA", record.Folder);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, record.InstalledAt);
    }

    [Fact]
    public async Task Saving_again_updates_version_state_reason_and_folder_and_keeps_when_it_was_installed()
    {
        var entry = Entry();
        entry.InstalledVersion = "1.0.0";
        await Store.SaveAsync(entry, CancellationToken.None);
        var installedAt = _time.GetUtcNow().UtcDateTime;
        _time.Advance(TimeSpan.FromHours(1));

        var moved = Entry(folder: "/modules/module-a");
        moved.InstalledVersion = "1.1.0";
        moved.Record(enabled: false, "Module 'b', which it depends on, was disabled: x");
        await Store.SaveAsync(moved, CancellationToken.None);

        var record = Assert.Single(await Store.GetAllAsync(CancellationToken.None)).Value;
        Assert.Equal("1.1.0", record.InstalledVersion);
        Assert.False(record.Enabled);
        Assert.Equal("Module 'b', which it depends on, was disabled: x", record.DisabledReason);
        Assert.Equal("module-a", record.Folder);
        Assert.Equal(installedAt, record.InstalledAt);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, record.UpdatedAt);
    }

    [Fact]
    public async Task What_was_saved_is_there_after_the_store_is_rebuilt_on_the_same_file_and_deleting_forgets_it()
    {
        var entry = Entry();
        entry.InstalledVersion = "2.0.0";
        entry.Record(enabled: true, null);
        await Store.SaveAsync(entry, CancellationToken.None);
        await Store.SaveAsync(Entry("module-b", "/modules/B"), CancellationToken.None);
        await DisposeServicesAndRebuildAsync();

        Assert.Equal("2.0.0", (await Store.GetAllAsync(CancellationToken.None))["module-a"].InstalledVersion);
        await Store.DeleteAsync("module-a", CancellationToken.None);

        Assert.Equal(["module-b"], (await Store.GetAllAsync(CancellationToken.None)).Keys);
    }

    private async Task DisposeServicesAndRebuildAsync()
    {
        await _services.DisposeAsync();
        await InitializeAsync();
    }
}
