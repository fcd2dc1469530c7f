using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ModuleBlackList.Tests;

/// <summary>Keeps every log line the module writes, so tests can say what was logged and at which level.</summary>
/// <param name="keep">Which categories are kept (the module's own: the host logs beside it).</param>
internal sealed class LogCapture(Func<string, bool> keep) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public IReadOnlyList<LogLine> AtLeast(LogLevel level) => [.. _lines.Where(l => l.Level >= level)];

    /// <summary>Forgets what was logged so far (what arranging a test logged is not what the test is about).</summary>
    public void Clear() => _lines.Clear();

    public ILogger CreateLogger(string categoryName) => keep(categoryName) ? new Logger(categoryName, _lines) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    internal sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " " + Exception.GetType().Name)}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}
