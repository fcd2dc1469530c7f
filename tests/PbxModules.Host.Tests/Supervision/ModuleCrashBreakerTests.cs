using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Supervision;

namespace PbxModules.Host.Tests.Supervision;

/// <summary>
/// The crash-loop breaker on a fake clock: counting in the window, the quarantine (never a
/// disable), the cool-down, trial calls one at a time, the growing cool-down after a failed trial,
/// and the way back into service.
/// </summary>
public sealed class ModuleCrashBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _log = new();
    private readonly ModuleCrashBreaker _breaker;

    public ModuleCrashBreakerTests()
    {
        var options = new FixedOptionsMonitor<SupervisionOptions>(new SupervisionOptions
        {
            MaxFailures = 3,
            Window = TimeSpan.FromMinutes(1),
            QuarantineCooldown = TimeSpan.FromMinutes(1),
            MaxQuarantineCooldown = TimeSpan.FromMinutes(3),
            ProbeSuccesses = 2,
        });
        _breaker = new ModuleCrashBreaker(options, _time, _log);
    }

    [Fact]
    public void MaxFailures_within_the_window_quarantine_the_module_once_however_many_failures_follow()
    {
        _breaker.RecordFailure("m", "one");
        _breaker.RecordFailure("m", "two");
        Assert.Empty(_log.Quarantined("m"));
        Assert.Null(_breaker.Admit("m").Refused);

        _breaker.RecordFailure("m", "three");
        for (var i = 0; i < 10; i++) _breaker.RecordFailure("m", "more");

        var line = Assert.Single(_log.Quarantined("m"));
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("quarantined for 60 s: 3 failures within 60 s; the last: three", line.Message, StringComparison.Ordinal);
        var quarantine = _breaker.GetQuarantine("m");
        Assert.NotNull(quarantine);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(1), quarantine.RetryAt);
        Assert.False(quarantine.Retrying);
        Assert.Same(quarantine, _breaker.Admit("m").Refused);
        Assert.Equal(TimeSpan.FromMinutes(1), _breaker.RemainingCooldown("m"));
    }

    [Fact]
    public void Failures_further_apart_than_the_window_never_add_up()
    {
        for (var i = 0; i < 10; i++)
        {
            _breaker.RecordFailure("m", "slow failure");
            _time.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Empty(_log.Quarantined("m"));
        Assert.Null(_breaker.GetQuarantine("m"));
    }

    [Fact]
    public void Each_module_is_counted_on_its_own()
    {
        _breaker.RecordFailure("a", "x");
        _breaker.RecordFailure("b", "x");
        _breaker.RecordFailure("a", "x");
        _breaker.RecordFailure("b", "x");

        Assert.Empty(_log.Quarantined("a"));
        Assert.Empty(_log.Quarantined("b"));
        _breaker.RecordFailure("a", "x");
        Assert.Single(_log.Quarantined("a"));
        Assert.Empty(_log.Quarantined("b"));
        Assert.Null(_breaker.Admit("b").Refused);
        Assert.Equal(["a"], _breaker.Quarantined.Keys);
    }

    [Fact]
    public void After_the_cool_down_one_trial_at_a_time_runs_and_enough_successes_end_the_quarantine()
    {
        Trip();
        _time.Advance(TimeSpan.FromMinutes(1));

        var trial = _breaker.Admit("m");
        Assert.True(trial.IsProbe);
        Assert.Null(trial.Refused);
        // While a trial runs, other calls are still refused.
        Assert.NotNull(_breaker.Admit("m").Refused);
        Assert.True(_breaker.GetQuarantine("m")!.Retrying);

        _breaker.RecordSuccess("m");
        Assert.NotNull(_breaker.GetQuarantine("m"));
        Assert.True(_breaker.Admit("m").IsProbe);
        _breaker.RecordSuccess("m");

        Assert.Null(_breaker.GetQuarantine("m"));
        Assert.Equal(default, _breaker.Admit("m"));
        Assert.Contains(_log.Lines, l => l.Message.Contains("Module m is back in service: 2 trial call(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_trial_quarantines_again_for_twice_as_long_up_to_the_maximum()
    {
        Trip();
        var cooldowns = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(_breaker.RemainingCooldown("m"));
            Assert.True(_breaker.Admit("m").IsProbe);
            _breaker.RecordFailure("m", "still broken");
            var quarantine = _breaker.GetQuarantine("m")!;
            cooldowns.Add(quarantine.RetryAt - quarantine.Since);
            Assert.Contains("A trial call after the cool-down failed: still broken", quarantine.Reason, StringComparison.Ordinal);
        }

        Assert.Equal([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3)], cooldowns);
        Assert.Equal(4, _breaker.GetQuarantine("m")!.Trips);
    }

    [Fact]
    public void A_trial_that_proves_nothing_frees_the_slot_for_the_next_call()
    {
        Trip();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(_breaker.Admit("m").IsProbe);
        Assert.NotNull(_breaker.Admit("m").Refused);

        _breaker.ReleaseProbe("m");

        Assert.True(_breaker.Admit("m").IsProbe);
    }

    [Fact]
    public void Calls_that_end_during_the_cool_down_change_nothing()
    {
        Trip();
        var quarantine = _breaker.GetQuarantine("m");

        // Sessions admitted before the trip finish now, one way or the other.
        _breaker.RecordSuccess("m");
        _breaker.RecordFailure("m", "late");

        Assert.Same(quarantine, _breaker.GetQuarantine("m"));
        Assert.Single(_log.Quarantined("m"));
    }

    [Fact]
    public void A_module_enabled_again_starts_from_zero_and_can_trip_again()
    {
        Trip();

        _breaker.Reset("m");
        Assert.Null(_breaker.GetQuarantine("m"));
        _breaker.RecordFailure("m", "x");
        _breaker.RecordFailure("m", "x");
        Assert.Single(_log.Quarantined("m"));
        _breaker.RecordFailure("m", "x");
        Assert.Equal(2, _log.Quarantined("m").Count);
        Assert.Equal(1, _breaker.GetQuarantine("m")!.Trips);
    }

    [Theory]
    [InlineData("MaxFailures", "Supervision:MaxFailures")]
    [InlineData("Window", "Supervision:Window")]
    [InlineData("QuarantineCooldown", "Supervision:QuarantineCooldown")]
    [InlineData("MaxQuarantineCooldown", "Supervision:MaxQuarantineCooldown")]
    [InlineData("ProbeSuccesses", "Supervision:ProbeSuccesses")]
    public void Invalid_settings_are_refused_naming_the_key(string property, string key)
    {
        var options = new SupervisionOptions();
        switch (property)
        {
            case "MaxFailures": options.MaxFailures = 0; break;
            case "Window": options.Window = TimeSpan.Zero; break;
            case "QuarantineCooldown": options.QuarantineCooldown = TimeSpan.FromSeconds(-1); break;
            case "MaxQuarantineCooldown": options.MaxQuarantineCooldown = TimeSpan.FromSeconds(1); break;
            case "ProbeSuccesses": options.ProbeSuccesses = 0; break;
        }

        var result = new SupervisionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new SupervisionOptionsValidator().Validate(null, new SupervisionOptions()).Succeeded);
    }

    private void Trip()
    {
        for (var i = 0; i < 3; i++) _breaker.RecordFailure("m", "x");
        Assert.NotNull(_breaker.GetQuarantine("m"));
    }

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private sealed class RecordingLogger : ILogger<ModuleCrashBreaker>
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> _messages = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _messages];

        public List<(LogLevel Level, string Message)> Quarantined(string moduleId)
            => [.. _messages.Where(m => m.Message.StartsWith($"Module {moduleId} quarantined ", StringComparison.Ordinal))];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _messages.Enqueue((logLevel, formatter(state, exception)));
    }
}
