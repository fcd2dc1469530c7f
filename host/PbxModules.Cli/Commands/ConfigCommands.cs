using System.CommandLine;
using System.Diagnostics;

namespace PbxModules.Cli.Commands;

/// <summary>
/// <c>config check</c>: runs the daemon itself with <c>--check-config</c>, which builds its host from the
/// same files, environment variables and validators as a start, reports every problem and exits without
/// starting. Running the daemon's own code (rather than a copy of its rules here) is what keeps the
/// check and the daemon from ever disagreeing, and it needs no running daemon.
/// </summary>
internal static class ConfigCommands
{
    /// <summary>Where the packaged daemon is installed (packaging/systemd/pbx-modules.service).</summary>
    public const string InstalledDaemon = "/usr/lib/pbx-modules/PbxModules.Host.dll";

    private const string DaemonFileName = "PbxModules.Host.dll";

    public static Command Create(CliContext context)
    {
        var configDir = new Option<string?>("--config-dir") { Description = "The folder that holds appsettings.json and appsettings.{environment}.json; default the daemon's own folder, where it reads them." };
        var environment = new Option<string?>("--environment") { Description = "The environment to check (Production, Development…); default the one the daemon would take (DOTNET_ENVIRONMENT, ASPNETCORE_ENVIRONMENT, else Production)." };
        var daemon = new Option<string?>("--daemon") { Description = $"The daemon assembly to check with; default ${CliEnvironment.DaemonVariable}, else {DaemonFileName} beside this program, else {InstalledDaemon}." };
        var check = new Command("check", "Validates the daemon's configuration as a start would (appsettings.json, appsettings.{environment}.json, environment variables, the same validators), without starting it. Run it from the daemon's working directory: relative paths are resolved against it.")
        {
            configDir, environment, daemon,
        };
        check.SetAction(context.Run(async (parse, output, ct) =>
        {
            var assembly = FindDaemon(parse.GetValue(daemon), context.Environment);
            var info = new ProcessStartInfo(context.Environment.Get("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(assembly);
            info.ArgumentList.Add("--check-config");
            if (parse.GetValue(configDir) is { } dir)
            {
                if (!Directory.Exists(dir)) throw new CliException($"--config-dir {Path.GetFullPath(dir)} does not exist.");
                info.ArgumentList.Add("--config-dir");
                info.ArgumentList.Add(Path.GetFullPath(dir));
            }
            if (parse.GetValue(environment) is { } name)
            {
                info.ArgumentList.Add("--environment");
                info.ArgumentList.Add(name);
            }
            using var process = Start(info);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var (said, complaints) = (await stdout, await stderr);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    valid = process.ExitCode == 0,
                    messages = Lines(said).Concat(Lines(complaints)).ToArray(),
                });
            }
            else foreach (var line in Lines(said)) output.Line(line);
            foreach (var line in Lines(complaints)) await context.Error.WriteLineAsync(line);
            return process.ExitCode switch
            {
                0 => ExitCodes.Ok,
                1 => ExitCodes.Failed,
                var other => throw new CliException($"The daemon's check ended with exit code {other} instead of 0 or 1; its output is above. Is {assembly} a pbx-modules daemon of this version?"),
            };
        }));
        return new Command("config", "The daemon's configuration.") { check };
    }

    private static string FindDaemon(string? given, CliEnvironment environment)
    {
        if ((given ?? environment.Get(CliEnvironment.DaemonVariable)) is { } named)
        {
            var path = Path.GetFullPath(named);
            return File.Exists(path) ? path : throw new CliException($"No daemon at {path}; pass --daemon with the path of {DaemonFileName} (installed: {InstalledDaemon}).");
        }
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, DaemonFileName), InstalledDaemon })
        {
            if (File.Exists(candidate)) return candidate;
        }
        throw new CliException($"The daemon to check with was not found beside this program nor at {InstalledDaemon}; pass --daemon with the path of {DaemonFileName} (or set {CliEnvironment.DaemonVariable}).");
    }

    private static Process Start(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info) ?? throw new CliException($"{info.FileName} could not be started.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CliException($"{info.FileName} could not be started ({ex.Message}); install the .NET runtime, or set DOTNET_HOST_PATH to the dotnet executable.");
        }
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'));
}
