using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PbxModules.Sdk.Testing.Hosting;

/// <summary>
/// Keeps every line the in-process host and its modules log ("Category: message", the exception's type and
/// message appended), and wakes whoever waits for a line containing some text.
/// </summary>
internal sealed class TestHostLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>Completes when a line containing <paramref name="text"/> has been logged (at once if one has).</summary>
    public Task SeenAsync(string text)
    {
        lock (_gate)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
            return seen.Task;
        }
    }

    private void Add(string line)
    {
        lock (_gate)
        {
            // Under the lock: a waiter added by SeenAsync either finds the line or is woken by it, never neither.
            _lines.Enqueue(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!line.Contains(_waiters[i].Text, StringComparison.Ordinal)) continue;
                _waiters[i].Seen.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, TestHostLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            log.Add(exception is null ? $"{category}: {message}" : $"{category}: {message} {exception.GetType().Name}: {exception.Message}");
        }
    }
}
