using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ModuleBlackList.Sounds;

/// <summary>
/// A sound Asterisk does not have (<c>STREAM FILE</c> answered <c>200 result=-1</c> on a live channel) is a
/// configuration problem, not a failure of the call: the handler goes on without it, and this logs one
/// warning per sound per <see cref="Interval"/>, with how many calls were affected meanwhile, instead of
/// one per call.
/// </summary>
public sealed partial class MissingSoundReporter(TimeProvider time, ILogger<MissingSoundReporter> logger)
{
    /// <summary>At most one warning per sound this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Entry> _sounds = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="sound"/> could not be played for <paramref name="purpose"/>; logs when due.</summary>
    /// <param name="sound">The sound name.</param>
    /// <param name="purpose">What it was for and what was done instead, for the log.</param>
    /// <param name="reply">Asterisk's reply.</param>
    public void Report(string sound, string purpose, string reply)
    {
        var now = time.GetUtcNow();
        var entry = _sounds.GetOrAdd(sound, static _ => new Entry());
        int suppressed;
        lock (entry)
        {
            if (entry.LastLogged is { } last && now - last < Interval)
            {
                entry.Suppressed++;
                return;
            }
            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastLogged = now;
        }
        LogMissing(logger, sound, reply, purpose, suppressed, (int)Interval.TotalMinutes);
    }

    private sealed class Entry
    {
        public DateTimeOffset? LastLogged { get; set; }
        public int Suppressed { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asterisk has no sound '{Sound}' (STREAM FILE answered '{Reply}'): {Purpose}. Install the sound in Asterisk's sounds directory or choose another one in the module's settings. {Suppressed} more call(s) hit this since the last warning; it is logged at most once every {Minutes} min")]
    private static partial void LogMissing(ILogger logger, string sound, string reply, string purpose, int suppressed, int minutes);
}
