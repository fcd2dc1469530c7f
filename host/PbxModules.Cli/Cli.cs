using System.CommandLine;
using PbxModules.Cli.Commands;

namespace PbxModules.Cli;

/// <summary>
/// <c>pbx-modules</c>: the administrator's command line for a running PbxModules daemon. Every command
/// is a call of the daemon's REST API (its Unix socket by default), except <c>agi call</c> (its FastAGI
/// port) and <c>config check</c> (the daemon's own <c>--check-config</c>).
/// </summary>
public static class Cli
{
    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="args">The arguments, as the shell split them.</param>
    /// <param name="output">Standard output: tables, or JSON with <c>--json</c>.</param>
    /// <param name="error">Standard error: warnings and what went wrong.</param>
    /// <param name="environment">The environment variables to read; null for the process's own.</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C in the real program).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CliEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(output, error, environment ?? CliEnvironment.Process);
        var root = new RootCommand("pbx-modules: manage the modules of a running PbxModules daemon, its dialplan, AGI routes and API keys. Talks to the daemon's Unix socket (local administrators), or with --url to its REST API with the key in PBX_MODULES_API_KEY.")
        {
            GlobalOptions.Socket, GlobalOptions.Url, GlobalOptions.Json, GlobalOptions.Timeout,
            ModuleCommands.Create(context),
            DialplanCommands.Create(context),
            AgiCommands.Create(context),
            AmiCommands.Create(context),
            ApiKeyCommands.Create(context),
            ConfigCommands.Create(context),
        };
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
