using NuGet.Common;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;
using NuGetLogLevel = NuGet.Common.LogLevel;

namespace PbxModules.Host.Packages.Feeds;

/// <summary>
/// NuGet.Protocol's log lines (requests, retries, warnings about a source) into the daemon's log, under
/// the feeds' category. NuGet's verbose and debug lines are Debug and Trace here, so a default log stays quiet.
/// </summary>
internal sealed partial class NuGetLogger(Microsoft.Extensions.Logging.ILogger logger) : LoggerBase
{
    public override void Log(ILogMessage message)
    {
        var level = ToLevel(message.Level);
        if (!logger.IsEnabled(level)) return;
        // NuGet's own text; its messages name the source and the request (never a credential: none is configured here).
        LogNuGet(logger, level, message.Code, message.Message);
    }

    [LoggerMessage(EventId = 10, Message = "NuGet {Code}: {Message}")]
    private static partial void LogNuGet(Microsoft.Extensions.Logging.ILogger logger, MsLogLevel level, NuGetLogCode code, string message);

    public override Task LogAsync(ILogMessage message)
    {
        Log(message);
        return Task.CompletedTask;
    }

    private static MsLogLevel ToLevel(NuGetLogLevel level) => level switch
    {
        NuGetLogLevel.Error => MsLogLevel.Error,
        NuGetLogLevel.Warning => MsLogLevel.Warning,
        NuGetLogLevel.Minimal or NuGetLogLevel.Information => MsLogLevel.Information,
        NuGetLogLevel.Verbose => MsLogLevel.Debug,
        _ => MsLogLevel.Trace,
    };
}
