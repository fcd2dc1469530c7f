using System.CommandLine;
using PbxModules.Cli.Daemon;

namespace PbxModules.Cli.Commands;

/// <summary>The options every command takes (recursive: they may stand anywhere on the line).</summary>
internal static class GlobalOptions
{
    public static Option<string?> Socket { get; } = new("--socket")
    {
        Description = $"The daemon's Unix socket (its Rest:UnixSocket). Default: ${CliEnvironment.SocketVariable}, else {DaemonTarget.DefaultSocket} (relative to the working directory, as the daemon's own default), else the packaged daemon's {DaemonTarget.PackagedSocket}.",
        Recursive = true,
    };

    public static Option<string?> Url { get; } = new("--url")
    {
        Description = $"The daemon's REST API over TCP instead of the socket, e.g. http://127.0.0.1:8090; the API key is read from ${CliEnvironment.ApiKeyVariable}.",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Writes the API's data as JSON, for scripts, instead of tables.",
        Recursive = true,
    };

    public static Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "How many seconds to wait for the daemon's answer (an install or upgrade may take a while).",
        DefaultValueFactory = _ => 120,
        Recursive = true,
    };
}
