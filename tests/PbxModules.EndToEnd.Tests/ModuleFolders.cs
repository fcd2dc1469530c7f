namespace PbxModules.EndToEnd.Tests;

/// <summary>Builds a modules folder for a daemon run, the way an administrator installs modules: one folder each.</summary>
internal static class ModuleFolders
{
    /// <summary>ModuleBlackList (from the daemon's build) plus the named test modules, under <c>root/modules</c>.</summary>
    public static string Install(string root, params string[] testModules)
    {
        var modules = Path.Combine(root, "modules");
        var daemonModules = Path.Combine(Path.GetDirectoryName(TestDaemon.DaemonAssemblyPath)!, "modules");
        CopyDirectory(Path.Combine(daemonModules, "ModuleBlackList"), Path.Combine(modules, "ModuleBlackList"));
        foreach (var name in testModules)
            CopyDirectory(Path.Combine(AppContext.BaseDirectory, "testmodules", name), Path.Combine(modules, name));
        return modules;
    }

    public static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
