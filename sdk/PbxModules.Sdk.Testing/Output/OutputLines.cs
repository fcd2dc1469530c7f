using System.Text;

namespace PbxModules.Sdk.Testing.Output;

/// <summary>
/// Lines someone wrote (a daemon's standard output and error, an in-process host's log), in arrival order, and
/// who waits for a line containing some text.
/// </summary>
/// <param name="maxLines">The most lines kept (the oldest go first); null keeps every line.</param>
internal sealed class OutputLines(int? maxLines = null)
{
    private readonly Queue<string> _lines = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    /// <summary>The lines kept, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return [.. _lines];
        }
    }

    /// <summary>The lines kept, one per line.</summary>
    public string Text
    {
        get
        {
            lock (_lines)
            {
                var sb = new StringBuilder();
                foreach (var line in _lines) sb.AppendLine(line);
                return sb.ToString();
            }
        }
    }

    public void Append(string? line)
    {
        if (line is null) return;
        List<(string Text, TaskCompletionSource Seen)> seen;
        // Under the lock: a waiter added by SeenAsync either finds the line or is woken by it, never neither.
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (maxLines is { } max && _lines.Count > max) _lines.Dequeue();
            seen = _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList();
            _waiters.RemoveAll(seen.Contains);
        }
        foreach (var waiter in seen) waiter.Seen.TrySetResult();
    }

    /// <summary>Completes when a line containing <paramref name="text"/> was written (at once if one was).</summary>
    public Task SeenAsync(string text)
    {
        lock (_lines)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            var waiter = (Text: text, Seen: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            return waiter.Seen.Task;
        }
    }
}
