using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Modules;
using PbxModules.Host.Modules.Journaling;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>
/// A crash at every step of an install and of an upgrade: the fault-injection seam stops the transition
/// dead right after the step was journaled (nothing rolled back in the process, as with a kill -9), then a
/// fresh manager starts over the same folders and database. Before <see cref="TransitionStep.Enabled"/> the
/// old state must be back (no module for an install; the old version with its rows for an upgrade), from
/// it on the new version fully installed; never anything in between, and nothing left in progress.
/// </summary>
public sealed class TransitionCrashTests : IAsyncLifetime
{
    private const string Id = "test-migrating";
    private readonly ModuleHostFixture _fixture = new();

    private MigratingModuleDatabase Database => new(_fixture.DataDirectory);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _fixture.DisposeAsync().AsTask();

    public static TheoryData<TransitionStep> InstallSteps => [.. TransitionStepNames.StepsOf(TransitionStepNames.Install)];

    public static TheoryData<TransitionStep> UpgradeSteps => [.. TransitionStepNames.StepsOf(TransitionStepNames.Upgrade)];

    [Theory]
    [MemberData(nameof(InstallSteps))]
    public async Task A_crash_at_any_step_of_an_install_leaves_it_either_not_installed_or_fully_installed(TransitionStep step)
    {
        CrashAt(TransitionStepNames.Install, step);
        var manager = await _fixture.StartAsync();

        var crash = await Assert.ThrowsAsync<SimulatedCrashException>(() => manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None));
        Assert.Equal($"Simulated crash at install:{TransitionStepNames.NameOf(step)}.", crash.Message);
        await RestartWithoutFaultsAsync();

        if (step >= TransitionStep.Enabled)
        {
            await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
            Assert.Empty(Database.Names());
        }
        else
        {
            await TransitionAssertions.NotInstalledAsync(_fixture, Id);
            Assert.False(File.Exists(Database.File));
            Assert.False(Directory.Exists(Path.Combine(_fixture.DataDirectory, "modules", Id)));
            // And it installs cleanly afterwards.
            var again = await _fixture.Manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None);
            Assert.True(again.Status == ModuleOperationStatus.Done, again.Message);
        }
    }

    [Theory]
    [MemberData(nameof(UpgradeSteps))]
    public async Task A_crash_at_any_step_of_an_upgrade_leaves_the_old_version_with_its_data_or_the_new_one_whole(TransitionStep step)
    {
        var manager = await _fixture.StartAsync();
        Assert.Equal(ModuleOperationStatus.Done, (await manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None)).Status);
        Database.Insert("alice", "bob", "carol");
        await _fixture.StopAsync();
        CrashAt(TransitionStepNames.Upgrade, step);
        manager = await _fixture.StartAsync();

        await Assert.ThrowsAsync<SimulatedCrashException>(() => manager.UpgradeAsync(Id, Package("MigratingV2"), allowDowngrade: false, CancellationToken.None));
        await RestartWithoutFaultsAsync();

        var enabled = Assert.Single(_fixture.Manager.Registry.EnabledModules);
        if (step >= TransitionStep.Enabled)
        {
            await TransitionAssertions.InstalledAsync(_fixture, Id, "1.1.0", ModuleState.Enabled);
            Assert.Equal("1.1.0", enabled.Context.Manifest.Version);
            Assert.Equal(["alice|migrated", "bob|migrated", "carol|migrated"], Database.NamesAndNotes());
        }
        else
        {
            await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
            Assert.Equal("1.0.0", enabled.Context.Manifest.Version);
            Assert.True(File.Exists(Path.Combine(_fixture.Module(Id).Folder, "MigratingV1.dll")));
            Assert.False(File.Exists(Path.Combine(_fixture.Module(Id).Folder, "MigratingV2.dll")));
            Assert.Equal(["alice", "bob", "carol"], Database.Names());
            Assert.DoesNotContain("Note", Database.Columns());
            // And the upgrade goes through afterwards.
            var again = await _fixture.Manager.UpgradeAsync(Id, Package("MigratingV2"), allowDowngrade: false, CancellationToken.None);
            Assert.True(again.Status == ModuleOperationStatus.Done, again.Message);
            Assert.Equal(["alice|migrated", "bob|migrated", "carol|migrated"], Database.NamesAndNotes());
        }
    }

    [Fact]
    public async Task Recovery_logs_which_way_it_went()
    {
        CrashAt(TransitionStepNames.Install, TransitionStep.Migrated);
        var manager = await _fixture.StartAsync();
        await Assert.ThrowsAsync<SimulatedCrashException>(() => manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None));

        await RestartWithoutFaultsAsync();

        Assert.Contains(_fixture.Logs.Lines, l => l.Contains("The install of module test-migrating 1.0.0 was rolled back (it had reached step migrated)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_journal_naming_a_folder_outside_the_modules_folder_is_left_alone()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_fixture.Root, "not-a-module")).FullName;
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "precious");
        var journals = Directory.CreateDirectory(Path.Combine(_fixture.DataDirectory, "journal")).FullName;
        var journal = Path.Combine(journals, "test-x.json");
        File.WriteAllText(journal, System.Text.Json.JsonSerializer.Serialize(new
        {
            Operation = "install",
            ModuleId = "test-x",
            ToVersion = "1.0.0",
            Step = "swapped",
            TargetFolder = outside,
            StagingFolder = Path.Combine(_fixture.ModulesDirectory, ".staging", "test-x-1"),
            DataBackupFolder = Path.Combine(journals, "test-x-1.data"),
        }));

        await _fixture.StartAsync();

        Assert.True(File.Exists(Path.Combine(outside, "keep.txt")));
        Assert.True(File.Exists(journal));
        Assert.Contains(_fixture.Logs.Lines, l => l.Contains($"The transition journal {journal} cannot be read; it is left in place", StringComparison.Ordinal) && l.Contains("outside the modules and journal folders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_kill_setting_alone_is_inert_without_the_environment_variable()
    {
        // The test process never sets PBXMODULES_FAULT_INJECTION: were the setting honoured, this test host would die here.
        Assert.NotEqual("1", Environment.GetEnvironmentVariable(ConfiguredFaultInjector.EnvironmentVariable));
        _fixture.Set("ModuleHost:FaultInjection:KillAtStep", "install:swapped");
        var manager = await _fixture.StartAsync();
        Assert.IsType<ConfiguredFaultInjector>(_fixture.Services.GetRequiredService<ITransitionFaultInjector>());

        var result = await manager.InstallAsync(Package("MigratingV1"), enable: true, CancellationToken.None);

        Assert.True(result.Status == ModuleOperationStatus.Done, result.Message);
        await TransitionAssertions.InstalledAsync(_fixture, Id, "1.0.0", ModuleState.Enabled);
    }

    private FolderModulePackage Package(string deployed) => new(_fixture.Root, deployed);

    private void CrashAt(string operation, TransitionStep step)
        => _fixture.ConfigureServices = services => services.AddSingleton<ITransitionFaultInjector>(new ThrowingFaultInjector(operation, step));

    /// <summary>What a kill leaves: the container goes (its SQLite pools with it) and a new one starts on the same folders.</summary>
    private async Task RestartWithoutFaultsAsync()
    {
        _fixture.ConfigureServices = null;
        await _fixture.RestartAsync();
    }

    /// <summary>The in-process form of the kill: an exception no transition catches, at one step.</summary>
    private sealed class ThrowingFaultInjector(string operation, TransitionStep step) : ITransitionFaultInjector
    {
        public void Reached(string reachedOperation, TransitionStep reached)
        {
            if (reachedOperation == operation && reached == step) throw new SimulatedCrashException(operation, step);
        }
    }
}
