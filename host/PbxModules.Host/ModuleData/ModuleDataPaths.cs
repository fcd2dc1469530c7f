using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.ModuleData;

/// <summary>
/// Where a module's files live: its code in a folder under <c>Paths:Modules</c>, its data folder
/// <c>Paths:Data/modules/&lt;id&gt;/</c> and its database <c>Paths:Data/modules/&lt;id&gt;.db</c> (with
/// SQLite's side files). The loader, the module database and uninstalling all ask here, so that
/// what is created is exactly what an uninstall deletes.
/// </summary>
public sealed class ModuleDataPaths(IOptions<PathsOptions> paths)
{
    // Exact names, not a pattern: an id is not a glob (a folder listed under its name could hold '*').
    private static readonly string[] DatabaseSuffixes = [".db", ".db-wal", ".db-shm", ".db-journal"];

    /// <summary>Paths:Modules, in full: one folder per module.</summary>
    public string ModulesDirectory => paths.Value.ModulesFullPath;

    /// <summary>Where installs and upgrades extract packages first: beside the modules, on the same filesystem, so that swapping one in is a single rename. A dot-folder: the catalog never takes it for a module.</summary>
    public string StagingDirectory => Path.Combine(ModulesDirectory, ".staging");

    /// <summary>Where an upgrade keeps the old version's folder until it is done (same filesystem, a dot-folder too).</summary>
    public string BackupDirectory => Path.Combine(ModulesDirectory, ".backup");

    /// <summary>The journals of installs and upgrades in progress, and the database backups they keep.</summary>
    public string JournalDirectory => Path.Combine(paths.Value.DataFullPath, "journal");

    /// <summary>The folder that holds every module's data folder and database.</summary>
    public string DataRoot => Path.Combine(paths.Value.DataFullPath, "modules");

    /// <summary>The module's own data folder (<see cref="Sdk.Modules.IModuleContext.DataDirectory"/>).</summary>
    public string DataDirectory(string moduleId) => Path.Combine(DataRoot, moduleId);

    /// <summary>The module's SQLite database file.</summary>
    public string DatabaseFile(string moduleId) => Path.Combine(DataRoot, moduleId + DatabaseSuffixes[0]);

    /// <summary>Every file a module's database may consist of: the database and SQLite's journal and WAL files.</summary>
    public IEnumerable<string> DatabaseFiles(string moduleId) => DatabaseSuffixes.Select(suffix => Path.Combine(DataRoot, moduleId + suffix));

    /// <summary>Deletes the module's data folder and database files; what is not there is skipped.</summary>
    public void DeleteData(string moduleId)
    {
        DeleteDirectory(DataDirectory(moduleId));
        foreach (var file in DatabaseFiles(moduleId))
            if (File.Exists(file)) File.Delete(file);
    }

    /// <summary>Deletes a module's folder, but only one inside <see cref="ModulesDirectory"/>: never the modules folder itself or anything outside it.</summary>
    /// <returns>True when the folder was inside and is gone.</returns>
    public bool DeleteModuleFolder(string folder)
    {
        if (!IsInside(folder, ModulesDirectory)) return false;
        DeleteDirectory(folder);
        return true;
    }

    private static bool IsInside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
