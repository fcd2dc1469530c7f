using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Supervision;

/// <summary>
/// The crash-loop breaker: counts a module's failures (AGI handlers that throw or time out, AMI
/// workers that crash) in a sliding window, and when there are too many, disables the module with
/// the reason recorded, instead of letting it fail on every call forever. The administrator sees
/// the reason in the API and enables the module again once it is fixed.
/// </summary>
public sealed partial class ModuleCrashBreaker(IServiceProvider services, IOptionsMonitor<SupervisionOptions> options, TimeProvider time, ILogger<ModuleCrashBreaker> logger)
{
    private readonly ConcurrentDictionary<string, Failures> _modules = new(StringComparer.Ordinal);

    /// <summary>Records one failure; may start disabling the module (in the background, never on the caller's path).</summary>
    /// <param name="moduleId">The failing module.</param>
    /// <param name="what">What failed, for people: e.g. "AGI handler 'check' threw TimeoutException: …".</param>
    public void RecordFailure(string moduleId, string what)
    {
        var settings = options.CurrentValue;
        var failures = _modules.GetOrAdd(moduleId, _ => new Failures());
        var now = time.GetUtcNow();
        int count;
        lock (failures)
        {
            if (failures.Tripped) return;
            failures.Times.Enqueue(now);
            while (failures.Times.Count > 0 && now - failures.Times.Peek() > settings.Window) failures.Times.Dequeue();
            count = failures.Times.Count;
            if (count < settings.MaxFailures) return;
            failures.Tripped = true;
        }

        var reason = $"Disabled automatically after {count} failures within {settings.Window.TotalSeconds:0} s; the last: {what}. Fix the cause (see the log), then enable the module again.";
        LogTripped(logger, moduleId, count, settings.Window.TotalSeconds);
        // Disabling drains the module's AGI sessions, one of which may be the caller: never wait for it here.
        _ = Task.Run(async () =>
        {
            try
            {
                await services.GetRequiredService<ModuleManager>().DisableAsync(moduleId, reason, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogDisableFailed(logger, ex, moduleId);
            }
        });
    }

    /// <summary>Forgets a module's failures (when it is enabled again).</summary>
    public void Reset(string moduleId) => _modules.TryRemove(moduleId, out _);

    private sealed class Failures
    {
        public readonly Queue<DateTimeOffset> Times = new();
        public bool Tripped;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Module {ModuleId} failed {Count} times within {Seconds:0} s: disabling it")]
    private static partial void LogTripped(ILogger logger, string moduleId, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not disable the failing module {ModuleId}")]
    private static partial void LogDisableFailed(ILogger logger, Exception exception, string moduleId);
}
