namespace PbxModules.EndToEnd.Tests;

/// <summary>Builds a modules folder for a daemon run, the way an administrator installs modules: one folder each.</summary>
internal static class ModuleFolders
{
    /// <summary>
    /// ModuleBlackList plus the named test modules, under <c>root/modules</c>, all from this test project's own
    /// output (<c>testmodules/</c>): the host's output folder holds a modules/ folder too, but a build of another
    /// project rebuilds the host and rewrites it, possibly while these tests run.
    /// </summary>
    public static string Install(string root, params string[] testModules)
    {
        var modules = Path.Combine(root, "modules");
        foreach (var name in (string[])["ModuleBlackList", .. testModules])
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
