using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// A folder claiming the id of an installed module (say one with a corrupt dll that sorts first,
/// which must not take module-black-list down) is refused and listed under its own name; the
/// installed module keeps its id and runs. Both orders of folder names, with a recorded module and
/// on a first start.
/// </summary>
public sealed class ModuleDuplicateIdTests : IAsyncLifetime
{
    private readonly ModuleHostFixture _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    /// <summary>A copy of the good module (same id) whose assembly is garbage: its manifest is valid, its code cannot load.</summary>
    private string AddCorruptImpostor(string folder)
    {
        var path = _host.AddModule("GoodModule", folder);
        File.WriteAllBytes(Path.Combine(path, "GoodModule.dll"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251))]);
        return path;
    }

    private void AssertTheRealOneRunsAndTheImpostorIsListedApart(string realFolder, string impostorFolder, string why)
    {
        var good = _host.Module(ModuleHostFixture.GoodId);
        Assert.Equal(ModuleState.Enabled, good.State);
        Assert.Equal(Path.Combine(_host.ModulesDirectory, realFolder), good.Folder);
        Assert.Contains(_host.Manager.Registry.EnabledModules, m => m.Id == ModuleHostFixture.GoodId);

        var modules = _host.Manager.Registry.GetModules();
        Assert.Equal(modules.Count, modules.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count());
        var impostor = _host.Module($"{ModuleHostFixture.GoodId}@{impostorFolder}");
        Assert.Equal(ModuleState.Failed, impostor.State);
        Assert.Equal(Path.Combine(_host.ModulesDirectory, impostorFolder), impostor.Folder);
        Assert.StartsWith($"Field 'id': '{ModuleHostFixture.GoodId}' is already used by the module in '{good.Folder}', which keeps it (", impostor.FailureReason, StringComparison.Ordinal);
        Assert.Contains(why, impostor.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("..", impostor.FailureReason, StringComparison.Ordinal);
        Assert.Contains(_host.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal)
            && l.Contains($"Module folder {impostor.Folder} was refused: it claims id {ModuleHostFixture.GoodId}", StringComparison.Ordinal)
            && l.Contains($"listed as {impostor.Id}", StringComparison.Ordinal));
        // Nothing of the impostor ran: the good module was installed exactly once, by its own folder.
        Assert.Equal(1, _host.Count("install"));
    }

    private async Task<string?> RecordedFolderAsync()
        => (await _host.Store.GetAllAsync(CancellationToken.None))[ModuleHostFixture.GoodId].Folder;

    [Theory]
    [InlineData("AAA-impostor")]
    [InlineData("zzz-impostor")]
    public async Task On_a_first_start_the_folder_named_after_the_id_keeps_it_whichever_sorts_first(string impostorFolder)
    {
        _host.AddModule("GoodModule", "TestGood");
        AddCorruptImpostor(impostorFolder);

        await _host.StartAsync();

        AssertTheRealOneRunsAndTheImpostorIsListedApart("TestGood", impostorFolder, "named after it");
        Assert.Equal("TestGood", await RecordedFolderAsync());
    }

    [Theory]
    [InlineData("AAA-impostor")]
    [InlineData("zzz-impostor")]
    public async Task A_recorded_module_keeps_its_id_against_a_newcomer_whichever_sorts_first(string impostorFolder)
    {
        // "GoodModule" is not named after the id: only the record protects it from "AAA-impostor".
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        Assert.Equal("GoodModule", await RecordedFolderAsync());
        await _host.StopAsync();

        AddCorruptImpostor(impostorFolder);
        await _host.StartAsync();
        AssertTheRealOneRunsAndTheImpostorIsListedApart("GoodModule", impostorFolder, "recorded as installed");

        // And again: the refusal is not a one-off of the start that first saw the newcomer.
        await _host.RestartAsync();
        AssertTheRealOneRunsAndTheImpostorIsListedApart("GoodModule", impostorFolder, "recorded as installed");
        Assert.Equal("GoodModule", await RecordedFolderAsync());
    }

    [Fact]
    public async Task A_record_written_before_folders_were_recorded_gets_its_folder_at_the_next_start()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        await _host.StopAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(PbxModules.Host.HostData.HostDatabase.ConnectionString(_host.DataDirectory) + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE c_modules SET Folder = NULL";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await _host.StartAsync();

        Assert.Equal(ModuleState.Enabled, _host.Module(ModuleHostFixture.GoodId).State);
        Assert.Equal("GoodModule", await RecordedFolderAsync());
        Assert.Equal(1, _host.Count("install"));
    }

    [Fact]
    public async Task A_refused_duplicate_cannot_be_enabled_stays_listed_with_its_reason_when_disabled_and_uninstalling_it_removes_only_its_folder()
    {
        _host.AddModule("GoodModule");
        await _host.StartAsync();
        await _host.StopAsync();
        var impostorPath = AddCorruptImpostor("AAA-impostor");
        await _host.StartAsync();
        var impostorId = $"{ModuleHostFixture.GoodId}@AAA-impostor";

        var enable = await _host.Manager.EnableAsync(impostorId, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Refused, enable.Status);
        Assert.Contains("is already used by the module in", enable.Message, StringComparison.Ordinal);

        var disable = await _host.Manager.DisableAsync(impostorId, null, CancellationToken.None);
        Assert.Equal(ModuleOperationStatus.Done, disable.Status);
        Assert.Equal(ModuleState.Failed, _host.Module(impostorId).State);
        Assert.Contains("is already used by the module in", _host.Module(impostorId).FailureReason, StringComparison.Ordinal);

        var uninstall = await _host.Manager.UninstallAsync(impostorId, keepData: false, CancellationToken.None);

        Assert.Equal(ModuleOperationStatus.Done, uninstall.Status);
        Assert.False(Directory.Exists(impostorPath));
        Assert.Null(_host.Manager.Registry.GetModule(impostorId));
        Assert.Equal(ModuleState.Enabled, _host.Module(ModuleHostFixture.GoodId).State);
        Assert.True(Directory.Exists(_host.ModuleDataDirectory(ModuleHostFixture.GoodId)), "the installed module's data went with the duplicate");
        Assert.Equal("GoodModule", await RecordedFolderAsync());
        Assert.DoesNotContain(_host.HookCalls(), c => c.StartsWith("uninstall", StringComparison.Ordinal));
    }
}
