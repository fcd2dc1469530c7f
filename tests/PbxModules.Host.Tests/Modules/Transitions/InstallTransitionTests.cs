using PbxModules.Host.Modules;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>Installing a verified package at runtime: staged, swapped in, loaded, installed and enabled; refused or failed installs leave nothing behind.</summary>
public sealed class InstallTransitionTests : IAsyncLifetime
{
    private const string Id = ModuleHostFixture.GoodId;
    private readonly ModuleHostFixture _fixture = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync().AsTask();

    private FolderModulePackage Package(string deployed = "GoodModule", string? version = null, Action<System.Text.Json.Nodes.JsonObject>? edit = null, Action<string>? arrange = null)
        => new(_fixture.Root, deployed, version, edit, arrange);

    [Fact]
    public async Task An_install_swaps_the_folder_in_runs_the_install_hook_enables_it_and_records_the_package()
    {
        var manager = await _fixture.StartAsync();
        var package = Package();

        var result = await manager.InstallAsync(package, enable: true, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        Assert.Equal("Module 'test-good' 1.0.0 installed and enabled.", result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
        Assert.Equal(Path.Combine(_fixture.ModulesDirectory, Id), _fixture.Module(Id).Folder);
        Assert.Equal(["install", "before-enable", "enable"], _fixture.HookCalls());
        Assert.Single(manager.Registry.EnabledModules);
        var shown = _fixture.Module(Id).Package;
        Assert.Equal(new ModulePackageInfo(false, null, null, package.Sha256, package.Source), shown);

        // Survives a restart: no hook again, the package info read back from c_modules.
        await _fixture.RestartAsync();
        Assert.Equal(ModuleState.Enabled, _fixture.Module(Id).State);
        Assert.Equal(shown, _fixture.Module(Id).Package);
        Assert.Equal(["install", "before-enable", "enable"], _fixture.HookCalls());
    }

    [Fact]
    public async Task A_module_deployed_as_a_folder_has_no_package()
    {
        _fixture.AddModule("GoodModule");
        await _fixture.StartAsync();

        Assert.Null(_fixture.Module(Id).Package);
    }

    [Fact]
    public async Task An_install_asked_not_to_enable_leaves_it_installed_and_disabled_across_restarts()
    {
        var manager = await _fixture.StartAsync();

        var result = await manager.InstallAsync(Package(), enable: false, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Disabled);
        Assert.Equal(["install"], _fixture.HookCalls());
        await _fixture.RestartAsync();
        Assert.Equal(ModuleState.Disabled, _fixture.Module(Id).State);
    }

    [Fact]
    public async Task Installing_an_installed_module_is_refused_and_changes_nothing()
    {
        _fixture.AddModule("GoodModule");
        var manager = await _fixture.StartAsync();

        var result = await manager.InstallAsync(Package(version: "2.0.0"), enable: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Equal(PackageRefusalCode.AlreadyInstalled, result.Code);
        Assert.Contains("Upgrade it instead", result.Message, StringComparison.Ordinal);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
        Assert.False(Directory.Exists(Path.Combine(_fixture.ModulesDirectory, Id)));
    }

    [Fact]
    public async Task A_dependency_that_is_not_installed_refuses_the_install_and_nothing_is_left()
    {
        var manager = await _fixture.StartAsync();
        var package = Package(edit: m => m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { ["test-absent"] = "^1.0.0" });

        var result = await manager.InstallAsync(package, enable: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Equal(PackageRefusalCode.MissingDependency, result.Code);
        Assert.Equal("Module 'test-good' depends on 'test-absent' ^1.0.0, which is not installed. Install 'test-absent' first.", result.Message);
        Assert.Equal(0, package.Extractions);
        await TransitionAssertions.NotInstalledAsync(_fixture, Id);
    }

    [Fact]
    public async Task A_dependency_in_a_version_outside_the_range_refuses_the_install()
    {
        _fixture.AddModule("AgiModule");
        var manager = await _fixture.StartAsync();
        var package = Package(edit: m => m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { ["test-agi"] = "^2.0.0" });

        var result = await manager.InstallAsync(package, enable: true, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.MissingDependency, result.Code);
        Assert.Contains("version 1.0.0 is installed", result.Message, StringComparison.Ordinal);
        await TransitionAssertions.NotInstalledAsync(_fixture, Id);
    }

    [Fact]
    public async Task A_module_installed_after_its_dependency_is_enabled()
    {
        _fixture.AddModule("AgiModule");
        var manager = await _fixture.StartAsync();

        var result = await manager.InstallAsync(Package(edit: m => m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { ["test-agi"] = "^1.0.0" }), enable: true, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
    }

    [Fact]
    public async Task An_install_whose_code_does_not_load_fails_and_leaves_no_folder_row_or_data()
    {
        var manager = await _fixture.StartAsync();

        var result = await manager.InstallAsync(Package(arrange: f => FolderModulePackage.Corrupt(f, "GoodModule.dll")), enable: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.StartsWith("Module 'test-good' 1.0.0 could not be installed: ", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing of it was left installed.", result.Message, StringComparison.Ordinal);
        await TransitionAssertions.NotInstalledAsync(_fixture, Id);
        Assert.False(Directory.Exists(_fixture.ModuleDataDirectory(Id)));
    }

    [Fact]
    public async Task An_install_whose_install_hook_throws_fails_and_leaves_nothing()
    {
        _fixture.Set($"Modules:{Id}:ThrowIn", "install");
        _fixture.Set($"Modules:{Id}:HookLog", Path.Combine(_fixture.Root, "hooks.log"));
        var manager = await _fixture.StartAsync();

        var result = await manager.InstallAsync(Package(), enable: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Failed, result.Status);
        Assert.Contains("The install hook threw InvalidOperationException", result.Message, StringComparison.Ordinal);
        await TransitionAssertions.NotInstalledAsync(_fixture, Id);
        Assert.Empty(manager.Registry.EnabledModules);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Install_uninstall_and_reinstall_keeps_or_drops_the_data(bool keepData)
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package(), enable: true, CancellationToken.None);
        File.WriteAllText(Path.Combine(_fixture.ModuleDataDirectory(Id), "numbers.txt"), "0912345678");

        var uninstalled = await manager.UninstallAsync(Id, keepData, CancellationToken.None);
        Assert.True(uninstalled.Status == ModuleOperationStatus.Done, uninstalled.Message);
        await TransitionAssertions.NotInstalledAsync(_fixture, Id);
        Assert.Equal(keepData, File.Exists(Path.Combine(_fixture.ModuleDataDirectory(Id), "numbers.txt")));

        var reinstalled = await manager.InstallAsync(Package(), enable: true, CancellationToken.None);

        Assert.True(reinstalled.Status == ModuleOperationStatus.Done, reinstalled.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
        Assert.Equal(keepData, File.Exists(Path.Combine(_fixture.ModuleDataDirectory(Id), "numbers.txt")));
        Assert.Equal(keepData ? 2 : 1, _fixture.Count("install"));
    }

    [Fact]
    public async Task Uninstalling_a_module_an_enabled_module_depends_on_is_refused_naming_it()
    {
        var manager = await _fixture.StartAsync();
        await manager.InstallAsync(Package(), enable: true, CancellationToken.None);
        var child = Package(edit: m =>
        {
            m["id"] = "test-good-child";
            m["dependsOn"] = new System.Text.Json.Nodes.JsonObject { [Id] = "^1.0.0" };
        });
        Assert.Equal(ModuleOperationStatus.Done, (await manager.InstallAsync(child, enable: true, CancellationToken.None)).Status);

        var result = await manager.UninstallAsync(Id, keepData: true, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Refused, result.Status);
        Assert.Equal(PackageRefusalCode.HasDependents, result.Code);
        Assert.Equal("Module 'test-good' cannot be uninstalled: 'test-good-child' depends on it and is enabled. Uninstall or disable it first.", result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);

        // Once the dependent is gone, it can go.
        Assert.Equal(ModuleOperationStatus.Done, (await manager.UninstallAsync("test-good-child", keepData: false, CancellationToken.None)).Status);
        Assert.Equal(ModuleOperationStatus.Done, (await manager.UninstallAsync(Id, keepData: false, CancellationToken.None)).Status);
        await TransitionAssertions.NotInstalledAsync(_fixture, Id);
    }

    [Fact]
    public async Task The_catalog_never_takes_the_staging_or_backup_folders_for_modules()
    {
        _fixture.AddModule("GoodModule", Path.Combine(".staging", "test-good-leftover"));
        _fixture.AddModule("AgiModule", ".backup");

        await _fixture.StartAsync();

        Assert.Empty(_fixture.Manager.Registry.GetModules());
    }
}
