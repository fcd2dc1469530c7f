using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PbxModules.Host.Tests.Ami;

/// <summary>A log sink: every entry's level and formatted message, for assertions.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Enqueue((logLevel, formatter(state, exception)));

    public IReadOnlyList<string> Warnings => [.. Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];

    public string All => string.Join(Environment.NewLine, Entries.Select(e => $"{e.Level}: {e.Message}"));
}
