using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Testing.Output;

namespace PbxModules.Sdk.Testing.Hosting;

/// <summary>
/// Keeps every line the in-process host and its modules log ("Category: message", the exception's type and
/// message appended), and wakes whoever waits for a line containing some text.
/// </summary>
internal sealed class TestHostLog : ILoggerProvider
{
    private readonly OutputLines _lines = new();

    public IReadOnlyList<string> Lines => _lines.Lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <summary>Completes when a line containing <paramref name="text"/> has been logged (at once if one has).</summary>
    public Task SeenAsync(string text) => _lines.SeenAsync(text);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, OutputLines lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            lines.Append(exception is null ? $"{category}: {message}" : $"{category}: {message} {exception.GetType().Name}: {exception.Message}");
        }
    }
}
