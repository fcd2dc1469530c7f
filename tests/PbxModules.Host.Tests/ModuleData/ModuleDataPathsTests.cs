using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.ModuleData;

namespace PbxModules.Host.Tests.ModuleData;

public sealed class ModuleDataPathsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-paths-").FullName;
    private readonly ModuleDataPaths _paths;

    public ModuleDataPathsTests()
    {
        _paths = new ModuleDataPaths(Options.Create(new PathsOptions { Data = Path.Combine(_root, "data"), Modules = Path.Combine(_root, "modules") }));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_modules_data_folder_and_database_live_under_Paths_Data_modules()
    {
        Assert.Equal(Path.Combine(_root, "data", "modules", "module-a"), _paths.DataDirectory("module-a"));
        Assert.Equal(Path.Combine(_root, "data", "modules", "module-a.db"), _paths.DatabaseFile("module-a"));
        Assert.Equal(
            ["module-a.db", "module-a.db-wal", "module-a.db-shm", "module-a.db-journal"],
            _paths.DatabaseFiles("module-a").Select(Path.GetFileName));
    }

    [Fact]
    public void Deleting_a_modules_data_removes_its_folder_and_database_files_and_nothing_of_another_module()
    {
        Directory.CreateDirectory(Path.Combine(_paths.DataDirectory("module-a"), "sub"));
        foreach (var file in _paths.DatabaseFiles("module-a")) File.WriteAllText(file, "x");
        Directory.CreateDirectory(_paths.DataDirectory("module-ab"));
        File.WriteAllText(_paths.DatabaseFile("module-ab"), "x");

        _paths.DeleteData("module-a");

        Assert.False(Directory.Exists(_paths.DataDirectory("module-a")));
        Assert.All(_paths.DatabaseFiles("module-a"), f => Assert.False(File.Exists(f)));
        Assert.True(Directory.Exists(_paths.DataDirectory("module-ab")));
        Assert.True(File.Exists(_paths.DatabaseFile("module-ab")));
    }

    [Fact]
    public void An_id_is_not_a_pattern_when_data_is_deleted()
    {
        File.WriteAllText(EnsureRoot(_paths.DatabaseFile("module-a")), "x");

        _paths.DeleteData("*");

        Assert.True(File.Exists(_paths.DatabaseFile("module-a")));
    }

    [Fact]
    public void Only_a_folder_inside_Paths_Modules_is_deleted_as_a_modules_folder()
    {
        var inside = Directory.CreateDirectory(Path.Combine(_paths.ModulesDirectory, "ModuleA")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;

        Assert.True(_paths.DeleteModuleFolder(inside));
        Assert.False(_paths.DeleteModuleFolder(outside));
        Assert.False(_paths.DeleteModuleFolder(_paths.ModulesDirectory));

        Assert.False(Directory.Exists(inside));
        Assert.True(Directory.Exists(outside));
        Assert.True(Directory.Exists(_paths.ModulesDirectory));
    }

    private static string EnsureRoot(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return file;
    }
}
