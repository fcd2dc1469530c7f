using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>Captures every log entry (message, structured values and exception text) for assertions.</summary>
internal sealed class TestLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception);
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
            text += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
        if (exception is not null) text += " | " + exception;
        Entries.Enqueue((logLevel, text));
    }

    public bool Contains(string fragment) => Entries.Any(e => e.Text.Contains(fragment, StringComparison.Ordinal));

    public string All => string.Join(Environment.NewLine, Entries.Select(e => $"{e.Level}: {e.Text}"));
}
