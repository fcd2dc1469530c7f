using Microsoft.Extensions.Options;

namespace PbxModules.Host.Hosting;

/// <summary>
/// <c>--check-config [--config-dir DIR]</c>: the daemon builds its host as it would to start (the same
/// appsettings.json, appsettings.{environment}.json, environment variables and arguments, the same
/// options and validators), runs every start-up validation, prints each failure, and exits 1 — or 0
/// when the configuration is valid — without starting anything (no listener, no module, no database).
/// <c>pbx-modules config check</c> runs this, so the check and the daemon can never disagree.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The argument that asks for the check.</summary>
    public const string Argument = "--check-config";

    /// <summary>With <see cref="Argument"/>: where appsettings*.json are read instead of the daemon's own folder.</summary>
    public const string ConfigDirArgument = "--config-dir";

    /// <summary>
    /// True when <paramref name="args"/> ask for the check; <paramref name="rest"/> are the arguments
    /// without the check's own (the others still configure the host), <paramref name="configDir"/> its folder.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="ConfigDirArgument"/> without a folder, or a folder that does not exist.</exception>
    public static bool Requested(string[] args, out string[] rest, out string? configDir)
    {
        configDir = null;
        var kept = new List<string>(args.Length);
        var requested = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Argument) requested = true;
            else if (args[i] == ConfigDirArgument)
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"{ConfigDirArgument} needs a folder: the one that holds appsettings.json.");
                configDir = Path.GetFullPath(args[++i]);
            }
            else if (args[i].StartsWith(ConfigDirArgument + "=", StringComparison.Ordinal)) configDir = Path.GetFullPath(args[i][(ConfigDirArgument.Length + 1)..]);
            else kept.Add(args[i]);
        }
        rest = [.. kept];
        if (configDir is not null && !requested) throw new ArgumentException($"{ConfigDirArgument} goes with {Argument}: the daemon itself reads its configuration from its own folder.");
        if (configDir is not null && !Directory.Exists(configDir)) throw new ArgumentException($"{ConfigDirArgument} {configDir} does not exist.");
        return requested;
    }

    /// <summary>Runs every validation a start would, writes the outcome and returns the exit code.</summary>
    /// <param name="app">The built, not started, host.</param>
    /// <param name="checkListeners">Checks what the listeners are given (Rest:Url) the way the start gives it to Kestrel; throws on a bad value.</param>
    /// <param name="output">Where the verdict goes.</param>
    /// <param name="errors">Where each failure goes, one line each.</param>
    public static int Run(WebApplication app, Action checkListeners, TextWriter output, TextWriter errors)
    {
        var failures = new List<string>();
        try
        {
            // What ValidateOnStart registered: every section's validators, as the start runs them.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (StartupFailure.IsConfigurationError(ex))
        {
            failures.AddRange(StartupFailure.Failures(ex));
        }
        try
        {
            checkListeners();
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
        }
        var environment = app.Environment;
        var files = new[] { "appsettings.json", $"appsettings.{environment.EnvironmentName}.json" }
            .Select(f => Path.Combine(environment.ContentRootPath, f)).Where(File.Exists).ToList();
        var read = files.Count == 0 ? "no appsettings files" : string.Join(", ", files);
        if (failures.Count == 0)
        {
            output.WriteLine($"The configuration is valid (environment {environment.EnvironmentName}; read {read}, environment variables and arguments).");
            return 0;
        }
        foreach (var failure in failures) errors.WriteLine(failure);
        errors.WriteLine($"The configuration is not valid: {failures.Count} problem(s) (environment {environment.EnvironmentName}; read {read}, environment variables and arguments). Fix the keys named above; the daemon would refuse to start.");
        return StartupFailure.ExitCode;
    }
}
