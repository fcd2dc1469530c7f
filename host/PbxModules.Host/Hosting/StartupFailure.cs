using Microsoft.Extensions.Options;

namespace PbxModules.Host.Hosting;

/// <summary>
/// A configuration the daemon refuses to start with: one critical log line per problem, saying
/// what to change, and exit code 1, instead of an unhandled-exception dump and a crash.
/// </summary>
internal static partial class StartupFailure
{
    /// <summary>The exit code of a refused configuration.</summary>
    public const int ExitCode = 1;

    /// <summary>True for an exception that is a configuration refused by options validation.</summary>
    public static bool IsConfigurationError(Exception exception) => exception switch
    {
        OptionsValidationException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConfigurationError),
        // A service whose construction read invalid options wraps the validation failure.
        { InnerException: { } inner } => IsConfigurationError(inner),
        _ => false,
    };

    /// <summary>Logs each failure of <paramref name="exception"/>.</summary>
    public static void Report(ILogger logger, Exception exception)
    {
        foreach (var failure in Failures(exception)) LogRefused(logger, failure);
    }

    /// <summary>The messages of each failure in <paramref name="exception"/>.</summary>
    public static IEnumerable<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures,
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Failures),
        { InnerException: { } inner } => Failures(inner),
        _ => [exception.Message],
    };

    [LoggerMessage(Level = LogLevel.Critical, Message = "The daemon cannot start: {Failure}")]
    private static partial void LogRefused(ILogger logger, string failure);
}
