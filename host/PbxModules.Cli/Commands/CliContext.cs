using System.CommandLine;
using PbxModules.Cli.Daemon;
using PbxModules.Cli.Output;

namespace PbxModules.Cli.Commands;

/// <summary>What every command's action needs: the writers and the environment, and from its parse result the daemon and the output mode.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, CliEnvironment environment)
{
    public CliEnvironment Environment { get; } = environment;

    public TextWriter Error { get; } = error;

    /// <summary>The output as <c>--json</c> says.</summary>
    public CliOutput Output(ParseResult parse) => new(output, Error, parse.GetValue(GlobalOptions.Json));

    /// <summary>A client of the daemon the options name.</summary>
    public DaemonClient Client(ParseResult parse)
    {
        var seconds = parse.GetValue(GlobalOptions.Timeout);
        if (seconds <= 0) throw new CliException("--timeout must be a number of seconds above 0.");
        return new DaemonClient(DaemonTarget.From(parse.GetValue(GlobalOptions.Socket), parse.GetValue(GlobalOptions.Url), Environment), TimeSpan.FromSeconds(seconds));
    }

    /// <summary>
    /// An action that reports a <see cref="CliException"/> as its message on standard error and its
    /// exit code; anything else is a bug of the CLI and is reported as one.
    /// </summary>
    public Func<ParseResult, CancellationToken, Task<int>> Run(Func<ParseResult, CliOutput, CancellationToken, Task<int>> action)
        => async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, Output(parse), cancellationToken);
            }
            catch (CliException ex)
            {
                await Error.WriteLineAsync("pbx-modules: " + ex.Message);
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Error.WriteLineAsync("pbx-modules: cancelled.");
                return ExitCodes.Failed;
            }
        };

    /// <summary>Writes the envelope's info messages (what was done) and warnings; with <c>--json</c>, its data instead of the info.</summary>
    public static int Report(CliOutput output, ApiReply reply)
    {
        foreach (var warning in reply.Messages("warning")) output.Warning(warning);
        if (output.Json) output.WriteJson(reply.Data);
        else foreach (var info in reply.Messages("info")) output.Line(info);
        return ExitCodes.Ok;
    }
}
