using PbxModules.Cli;

namespace PbxModules.Cli.Tests;

/// <summary>One run of the CLI: its exit code and what it wrote.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>
    /// Runs <c>pbx-modules</c> in process through its entry, with only the environment variables in
    /// <paramref name="environment"/> among the CLI's own (PBX_MODULES_*), so the machine's cannot leak in.
    /// </summary>
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var variables = new CliEnvironment(name => environment is not null && environment.TryGetValue(name, out var value)
            ? value
            : name.StartsWith("PBX_MODULES_", StringComparison.Ordinal) ? null : Environment.GetEnvironmentVariable(name));
        var code = await Cli.RunAsync(args, output, error, variables);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}
