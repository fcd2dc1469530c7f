using System.Reflection;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.EndToEnd.Tests;

/// <summary>
/// The daemon this build made, started through the SDK's <see cref="PbxDaemon"/> as the tests need it:
/// Development, ModuleBlackList (from this project's output) unless a test picks the modules folder, the
/// simulated Asterisk's AMI secret.
/// </summary>
internal static class TestDaemon
{
    /// <summary>The AMI secret the daemon logs in with; the simulated Asterisk accepts it.</summary>
    public const string AmiSecret = "admin-secret";

    /// <summary>The daemon assembly the build embedded in this test assembly.</summary>
    public static string DaemonAssemblyPath => Metadata("PbxModulesDaemonPath");

    /// <summary>The daemon's project, for starting it the way README does (<c>dotnet run --project …</c>).</summary>
    public static string DaemonProjectPath => Metadata("PbxModulesDaemonProject");

    /// <summary>The build configuration the daemon was built in.</summary>
    public static string BuildConfiguration => Metadata("PbxModulesConfiguration");

    /// <summary>
    /// Starts the daemon in Development (as `dotnet run` does) on free REST and FastAGI ports and waits
    /// until /healthz answers. AMI points at <paramref name="amiPort"/> (a simulated Asterisk), or at a
    /// free port where nothing listens, never at a real 5038. <paramref name="launch"/> picks another
    /// environment, or `dotnet run`.
    /// </summary>
    public static Task<PbxDaemon> StartAsync(string? root = null, IDictionary<string, string>? settings = null, int? amiPort = null, DaemonLaunch? launch = null)
        => PbxDaemon.StartAsync(Options(root, settings, amiPort, launch ?? DaemonLaunch.Development));

    /// <summary>Runs the daemon until it exits by itself (a start-up it refuses); its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToExitAsync(string root, IDictionary<string, string> settings, DaemonLaunch launch, TimeSpan patience)
        => PbxDaemon.RunToExitAsync(Options(root, settings, amiPort: null, launch), patience);

    /// <summary>The options <see cref="StartAsync"/> starts with, plus environment variables for the daemon's process (e.g. a crash test's fault-injection switch).</summary>
    public static PbxDaemonOptions Options(string? root, IDictionary<string, string>? settings, IDictionary<string, string> environment, int? amiPort = null)
    {
        var options = Options(root, settings, amiPort, DaemonLaunch.Development);
        foreach (var (name, value) in environment) options.Environment[name] = value;
        return options;
    }

    private static PbxDaemonOptions Options(string? root, IDictionary<string, string>? settings, int? amiPort, DaemonLaunch launch)
    {
        var all = new Dictionary<string, string> { ["Ami:Secret"] = AmiSecret };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        // Development's own default, {AppBase}/modules, is the host's output folder, which a build of another
        // project may be rewriting while this suite runs: a daemon here always gets ModuleBlackList from this
        // project's output instead (kept across a restart on the same root), unless the test chose a folder.
        root ??= Directory.CreateTempSubdirectory("pbxmodules-e2e-").FullName;
        if (!all.ContainsKey("Paths:Modules"))
        {
            var modules = Path.Combine(root, "modules");
            if (!Directory.Exists(modules)) ModuleFolders.Install(root);
            all["Paths:Modules"] = modules;
        }
        return new PbxDaemonOptions
        {
            DaemonPath = launch.ViaDotnetRun ? DaemonProjectPath : DaemonAssemblyPath,
            Configuration = BuildConfiguration,
            Root = root,
            Settings = all,
            AmiPort = amiPort,
            Launch = launch,
            // A deadline, not a measure: the suite runs beside other builds on 2 cores, where a start
            // can take over a minute; `dotnet run` evaluates the project first and takes longer still.
            StartTimeout = TimeSpan.FromSeconds(launch.ViaDotnetRun ? 300 : 180),
        };
    }

    private static string Metadata(string key) => typeof(TestDaemon).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == key).Value!;
}
