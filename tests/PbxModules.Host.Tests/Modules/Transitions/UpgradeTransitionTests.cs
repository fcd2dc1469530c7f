using PbxModules.Host.Modules;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>Upgrading at runtime: the old version drained and stopped, its data backed up, the new one swapped in, migrated, its upgrade hook run; any failure puts the old version and its data back, serving.</summary>
public sealed class UpgradeTransitionTests : IAsyncLifetime
{
    private const string Id = ModuleHostFixture.GoodId;
    private const string MigratingId = "test-migrating";
    private readonly ModuleHostFixture _fixture = new();

    private MigratingModuleDatabase Database => new(_fixture.DataDirectory);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync().AsTask();

    private FolderModulePackage Package(string deployed = "GoodModule", string? version = null, Action<string>? arrange = null)
        => new(_fixture.Root, deployed, version, null, arrange);

    [Fact]
    public async Task An_upgrade_runs_only_the_upgrade_hook_swaps_the_folder_and_records_the_new_version_and_package()
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package(), enable: true, CancellationToken.None);
        var package = Package(version: "1.1.0");

        var result = await manager.UpgradeAsync(Id, package, allowDowngrade: false, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        Assert.Equal("Module 'test-good' upgraded from 1.0.0 to 1.1.0.", result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.1.0", ModuleState.Enabled);
        // Stopping for an upgrade is not disabling: no disable or enable hook.
        Assert.Equal(["install", "before-enable", "enable", "upgrade from 1.0.0"], _fixture.HookCalls());
        Assert.Equal(package.Sha256, _fixture.Module(Id).Package!.Sha256);
        Assert.Equal("1.1.0", Assert.Single(manager.Registry.EnabledModules).Context.Manifest.Version);

        await _fixture.RestartAsync();
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.1.0", ModuleState.Enabled);
        Assert.Equal(1, _fixture.Count("upgrade from 1.0.0"));
    }

    [Fact]
    public async Task A_disabled_module_is_upgraded_and_stays_disabled()
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package(), enable: false, CancellationToken.None);

        var result = await manager.UpgradeAsync(Id, Package(version: "1.1.0"), allowDowngrade: false, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.1.0", ModuleState.Disabled);
        Assert.Empty(manager.Registry.EnabledModules);
    }

    [Fact]
    public async Task A_downgrade_is_refused_unless_asked_for_and_an_absent_module_is_not_installed()
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package(version: "1.1.0"), enable: true, CancellationToken.None);

        var refused = await manager.UpgradeAsync(Id, Package(version: "1.0.0"), allowDowngrade: false, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Refused, refused.Status);
        Assert.Equal(PackageRefusalCode.Downgrade, refused.Code);
        Assert.Equal("Version 1.0.0 of 'test-good' is older than the installed 1.1.0; a downgrade may not read the module's data. Ask for a downgrade explicitly to install it anyway (allowDowngrade: true, or pbx-modules module upgrade test-good --allow-downgrade).", refused.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.1.0", ModuleState.Enabled);

        var same = await manager.UpgradeAsync(Id, Package(version: "1.1.0"), allowDowngrade: false, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.AlreadyInstalled, same.Code);
        Assert.Contains("nothing to upgrade", same.Message, StringComparison.Ordinal);

        var downgraded = await manager.UpgradeAsync(Id, Package(version: "1.0.0"), allowDowngrade: true, CancellationToken.None);
        Assert.True(downgraded.Status == ModuleOperationStatus.Done, downgraded.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);

        var absent = await manager.UpgradeAsync("test-agi", Package("AgiModule", version: "2.0.0"), allowDowngrade: false, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.NotFound, absent.Status);
        Assert.Equal(PackageRefusalCode.NotInstalled, absent.Code);
    }

    [Fact]
    public async Task An_upgrade_whose_migration_adds_a_column_keeps_every_row()
    {
        var manager = await _fixture.StartAsync();
        Assert.Equal(ModuleOperationStatus.Done, (await manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None)).Status);
        Database.Insert("alice", "bob", "carol");

        var result = await manager.UpgradeAsync(MigratingId, Package("MigratingV2"), allowDowngrade: false, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, MigratingId, "1.1.0", ModuleState.Enabled);
        Assert.Equal(["alice|migrated", "bob|migrated", "carol|migrated"], Database.NamesAndNotes());
    }

    [Fact]
    public async Task A_migration_that_throws_puts_the_old_version_and_its_data_back_serving()
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None);
        // 1.1.0 makes Name unique: two rows named alike make its migration fail half way.
        Database.Insert("alice", "alice", "bob");

        var result = await manager.UpgradeAsync(MigratingId, Package("MigratingV2"), allowDowngrade: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.StartsWith("Upgrade of 'test-migrating' from 1.0.0 to 1.1.0 failed: The database of MigratingDbContext could not be brought up to date: ", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("Version 1.0.0 and its data were put back and it is serving again.", result.Message, StringComparison.Ordinal);
        await AssertOldMigratingServesAsync(["alice", "alice", "bob"]);
    }

    [Fact]
    public async Task An_upgrade_hook_that_throws_puts_the_old_version_back_serving()
    {
        _fixture.Set($"Modules:{Id}:ThrowIn", "upgrade");
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package(), enable: true, CancellationToken.None);

        var result = await manager.UpgradeAsync(Id, Package(version: "1.1.0"), allowDowngrade: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Equal("Upgrade of 'test-good' from 1.0.0 to 1.1.0 failed: The upgrade hook threw InvalidOperationException: The upgrade hook of test-good fails on purpose. Version 1.0.0 and its data were put back and it is serving again.", result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
        Assert.Equal("1.0.0", Assert.Single(manager.Registry.EnabledModules).Context.Manifest.Version);
        Assert.Equal(result.Module, _fixture.Module(Id));
    }

    [Fact]
    public async Task A_new_version_that_does_not_load_puts_the_old_version_and_its_data_back_serving()
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None);
        Database.Insert("alice", "bob");

        var result = await manager.UpgradeAsync(MigratingId, Package("MigratingV2", arrange: f => FolderModulePackage.Corrupt(f, "MigratingV2.dll")), allowDowngrade: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Contains("'MigratingV2.dll' could not be loaded", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("it is serving again.", result.Message, StringComparison.Ordinal);
        await AssertOldMigratingServesAsync(["alice", "bob"]);

        // And the old version survives a restart as it was.
        await _fixture.RestartAsync();
        await AssertOldMigratingServesAsync(["alice", "bob"]);
    }

    private async Task AssertOldMigratingServesAsync(string[] names)
    {
        await TransitionAssertions.InstalledAsync(_fixture, MigratingId, "1.0.0", ModuleState.Enabled);
        Assert.Equal("1.0.0", Assert.Single(_fixture.Manager.Registry.EnabledModules).Context.Manifest.Version);
        Assert.True(File.Exists(Path.Combine(_fixture.Module(MigratingId).Folder, "MigratingV1.dll")));
        Assert.Equal(names, Database.Names());
        Assert.DoesNotContain("Note", Database.Columns());
        Assert.Equal(["20261201000000_Initial"], Database.Query("SELECT MigrationId FROM m_migrations"));
    }
}
