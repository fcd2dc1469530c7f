using System.Reflection;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.LoadGen;

/// <summary>
/// The real daemon for the load run, through the SDK's <see cref="PbxDaemon"/>: Development settings
/// (modules from the host's build output, loopback trusted), AMI pointed at a port where nothing
/// listens, and logging turned down so that the run does not measure the console.
/// </summary>
internal static class LoadGenDaemon
{
    /// <summary>The daemon assembly built with this project (same configuration).</summary>
    public static string DefaultPath => typeof(LoadGenDaemon).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PbxModulesDaemonPath").Value!;

    /// <summary>Starts it on the given ports (the same for each start of one run) and waits until it answers <c>/healthz</c>.</summary>
    public static Task<PbxDaemon> StartAsync(string daemonPath, string root, string logLevel, int restPort, int agiPort, int amiPort)
    {
        var settings = new Dictionary<string, string>
        {
            ["Ami:Secret"] = "loadgen-secret",
            // Console logging per session would measure the console: warnings and up only, and the
            // router's "not routed" warning (the baseline's path) off too, unless asked otherwise.
            ["Logging:LogLevel:Default"] = logLevel,
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = logLevel,
            ["Logging:LogLevel:Module.module-black-list.Microsoft.EntityFrameworkCore"] = logLevel is "Information" or "Debug" or "Trace" ? "Warning" : logLevel,
        };
        if (logLevel == "Warning") settings["Logging:LogLevel:PbxModules.Host.Agi.AgiRouter"] = "Error";
        return PbxDaemon.StartAsync(new PbxDaemonOptions
        {
            DaemonPath = daemonPath,
            Root = root,
            Settings = settings,
            RestPort = restPort,
            AgiPort = agiPort,
            AmiPort = amiPort,
            StartTimeout = TimeSpan.FromSeconds(180),
            // AMI is unreachable on purpose: an Unhealthy answer still means the daemon is up.
            ReadyWhenUnhealthy = true,
            MaxOutputLines = 200,
        });
    }
}
