namespace PbxModules.Cli;

/// <summary>A failure the CLI reports as one message on standard error, saying what to do, with its exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failed) : Exception(message)
{
    /// <summary>The process exit code for this failure (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}
