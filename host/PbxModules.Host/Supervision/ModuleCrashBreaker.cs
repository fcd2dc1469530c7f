using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PbxModules.Host.Supervision;

/// <summary>
/// The crash-loop breaker: counts failures of a module's own code (AGI handlers that throw or overrun
/// their budget while Asterisk owed them nothing, AMI workers that crash) in a sliding window, and when
/// there are too many, <b>quarantines</b> the module for a cool-down instead of letting it fail on every
/// call. A quarantine is temporary and in memory only: the module stays enabled and loaded, its
/// dialplan stays as it is, its AGI calls get <c>PBXMODULES_STATUS=QUARANTINED</c> (so the module's
/// dialplan applies its fail mode) and its AMI workers wait. When the cool-down ends, calls are let
/// through one at a time as trials (half-open): <see cref="SupervisionOptions.ProbeSuccesses"/> in a
/// row end the quarantine, a failure starts a new one with twice the cool-down (up to
/// <see cref="SupervisionOptions.MaxQuarantineCooldown"/>).
/// </summary>
/// <remarks>
/// It is never an administrator's "Disabled": a breaker that persisted its decision could be driven from
/// outside to switch a module off for good. What Asterisk answers (5xx, hang-ups, a dropped connection,
/// a command it held past the budget) is not counted here at all; see <c>AgiRouter</c>.
/// </remarks>
public sealed partial class ModuleCrashBreaker(IOptionsMonitor<SupervisionOptions> options, TimeProvider time, ILogger<ModuleCrashBreaker> logger)
{
    private readonly ConcurrentDictionary<string, Breaker> _modules = new(StringComparer.Ordinal);

    /// <summary>Whether a call to the module may run now.</summary>
    /// <param name="Refused">Set when the call must not run: the quarantine in force.</param>
    /// <param name="IsProbe">The call is a trial after the cool-down; report how it went (<see cref="RecordSuccess"/>, <see cref="RecordFailure"/> or <see cref="ReleaseProbe"/>).</param>
    public readonly record struct Admission(ModuleQuarantine? Refused, bool IsProbe);

    /// <summary>Decides whether one call to the module runs (and takes the trial slot when the cool-down is over).</summary>
    public Admission Admit(string moduleId)
    {
        if (!_modules.TryGetValue(moduleId, out var breaker)) return default;
        var now = time.GetUtcNow();
        var retrying = false;
        Admission admission;
        lock (breaker)
        {
            if (breaker.Quarantine is not { } quarantine) return default;
            if (now < quarantine.RetryAt) return new Admission(quarantine, false);
            if (!quarantine.Retrying)
            {
                breaker.Quarantine = quarantine with { Retrying = true };
                retrying = true;
            }
            if (breaker.ProbeInFlight) admission = new Admission(breaker.Quarantine, false);
            else
            {
                breaker.ProbeInFlight = true;
                admission = new Admission(null, true);
            }
        }
        if (retrying) LogRetrying(logger, moduleId);
        return admission;
    }

    /// <summary>Records that a call (or an AMI event) ran the module's code without failing; after a cool-down, enough of these end the quarantine.</summary>
    public void RecordSuccess(string moduleId)
    {
        if (!_modules.TryGetValue(moduleId, out var breaker)) return;
        int successes;
        lock (breaker)
        {
            // Calls admitted before the trip that finish during the cool-down prove nothing.
            if (breaker.Quarantine is not { Retrying: true }) return;
            breaker.ProbeInFlight = false;
            successes = ++breaker.ProbeSuccesses;
            if (successes < options.CurrentValue.ProbeSuccesses) return;
            breaker.Quarantine = null;
            breaker.ProbeSuccesses = 0;
            breaker.Trips = 0;
            breaker.Times.Clear();
        }
        LogRecovered(logger, moduleId, successes);
    }

    /// <summary>A trial call ended without telling anything about the module (the caller hung up, Asterisk failed): frees the trial slot.</summary>
    public void ReleaseProbe(string moduleId)
    {
        if (!_modules.TryGetValue(moduleId, out var breaker)) return;
        lock (breaker) breaker.ProbeInFlight = false;
    }

    /// <summary>Records one failure of the module's own code; may quarantine it. Never blocks and never throws.</summary>
    /// <param name="moduleId">The failing module.</param>
    /// <param name="what">What failed, for people: e.g. "AGI handler 'check' threw InvalidOperationException: …".</param>
    public void RecordFailure(string moduleId, string what)
    {
        var settings = options.CurrentValue;
        var breaker = _modules.GetOrAdd(moduleId, static _ => new Breaker());
        var now = time.GetUtcNow();
        ModuleQuarantine quarantine;
        lock (breaker)
        {
            string reason;
            if (breaker.Quarantine is { } current)
            {
                // Failures of calls admitted before the trip add nothing; a failed trial starts a longer quarantine.
                if (!current.Retrying) return;
                reason = $"A trial call after the cool-down failed: {what}";
            }
            else
            {
                breaker.Times.Enqueue(now);
                while (breaker.Times.Count > 0 && now - breaker.Times.Peek() > settings.Window) breaker.Times.Dequeue();
                if (breaker.Times.Count < settings.MaxFailures) return;
                reason = $"{breaker.Times.Count} failures within {settings.Window.TotalSeconds:0} s; the last: {what}";
                breaker.Times.Clear();
            }
            breaker.Trips++;
            var cooldown = Cooldown(settings, breaker.Trips);
            quarantine = new ModuleQuarantine(reason, now, now + cooldown, breaker.Trips, Retrying: false);
            breaker.Quarantine = quarantine;
            breaker.ProbeInFlight = false;
            breaker.ProbeSuccesses = 0;
        }
        LogQuarantined(logger, moduleId, (quarantine.RetryAt - quarantine.Since).TotalSeconds, quarantine.Reason, quarantine.RetryAt);
    }

    /// <summary>The module's quarantine, or null when it is in service.</summary>
    public ModuleQuarantine? GetQuarantine(string moduleId)
    {
        if (!_modules.TryGetValue(moduleId, out var breaker)) return null;
        lock (breaker) return Snapshot(breaker.Quarantine);
    }

    /// <summary>Every module in quarantine now, by id.</summary>
    public IReadOnlyDictionary<string, ModuleQuarantine> Quarantined
    {
        get
        {
            var result = new Dictionary<string, ModuleQuarantine>(StringComparer.Ordinal);
            foreach (var (id, breaker) in _modules)
            {
                lock (breaker)
                {
                    if (Snapshot(breaker.Quarantine) is { } quarantine) result[id] = quarantine;
                }
            }
            return result;
        }
    }

    /// <summary>How long until the module's cool-down ends (zero when it is not quarantined or is being retried).</summary>
    public TimeSpan RemainingCooldown(string moduleId)
    {
        var quarantine = GetQuarantine(moduleId);
        if (quarantine is null) return TimeSpan.Zero;
        var left = quarantine.RetryAt - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Forgets a module's failures and quarantine (when an administrator enables or disables it).</summary>
    public void Reset(string moduleId) => _modules.TryRemove(moduleId, out _);

    private ModuleQuarantine? Snapshot(ModuleQuarantine? quarantine)
        => quarantine is { Retrying: false } q && time.GetUtcNow() >= q.RetryAt ? q with { Retrying = true } : quarantine;

    private static TimeSpan Cooldown(SupervisionOptions settings, int trips)
    {
        var cooldown = settings.QuarantineCooldown;
        for (var i = 1; i < trips && cooldown < settings.MaxQuarantineCooldown; i++) cooldown += cooldown;
        return cooldown < settings.MaxQuarantineCooldown ? cooldown : settings.MaxQuarantineCooldown;
    }

    private sealed class Breaker
    {
        public readonly Queue<DateTimeOffset> Times = new();
        public ModuleQuarantine? Quarantine;
        public int Trips;
        public bool ProbeInFlight;
        public int ProbeSuccesses;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Module {ModuleId} quarantined for {Seconds:0} s: {Reason}. Its AGI calls get PBXMODULES_STATUS=QUARANTINED (the module's dialplan applies its fail mode) and its AMI workers wait; it is tried again at {RetryAt:u}. Fix the cause (see the errors logged before this one) or disable the module")]
    private static partial void LogQuarantined(ILogger logger, string moduleId, double seconds, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: quarantine cool-down over, letting trial calls through one at a time")]
    private static partial void LogRetrying(ILogger logger, string moduleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId} is back in service: {Count} trial call(s) in a row succeeded after its quarantine")]
    private static partial void LogRecovered(ILogger logger, string moduleId, int count);
}
