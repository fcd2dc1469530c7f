using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Supervision;

namespace PbxModules.Host.Tests.Supervision;

/// <summary>
/// The crash-loop breaker's counting, on a fake clock: when it decides to disable a module it logs
/// "failed N times" and asks the module manager (absent here: that request is logged as failed,
/// which is all these tests need to see that it was made).
/// </summary>
public sealed class ModuleCrashBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLogger _log = new();
    private readonly ModuleCrashBreaker _breaker;

    public ModuleCrashBreakerTests()
    {
        var options = new FixedOptionsMonitor<SupervisionOptions>(new SupervisionOptions { MaxFailures = 3, Window = TimeSpan.FromMinutes(1) });
        _breaker = new ModuleCrashBreaker(new NoServices(), options, _time, _log);
    }

    [Fact]
    public async Task MaxFailures_within_the_window_disable_the_module_once_however_many_failures_follow()
    {
        _breaker.RecordFailure("m", "one");
        _breaker.RecordFailure("m", "two");
        Assert.Empty(_log.Tripped("m"));

        _breaker.RecordFailure("m", "three");
        for (var i = 0; i < 10; i++) _breaker.RecordFailure("m", "more");

        Assert.Single(_log.Tripped("m"));
        Assert.Contains("failed 3 times within 60 s", _log.Tripped("m")[0], StringComparison.Ordinal);
        await _log.WaitForAsync("Could not disable the failing module m");
    }

    [Fact]
    public void Failures_further_apart_than_the_window_never_add_up()
    {
        for (var i = 0; i < 10; i++)
        {
            _breaker.RecordFailure("m", "slow failure");
            _time.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.Empty(_log.Tripped("m"));
    }

    [Fact]
    public void Each_module_is_counted_on_its_own()
    {
        _breaker.RecordFailure("a", "x");
        _breaker.RecordFailure("b", "x");
        _breaker.RecordFailure("a", "x");
        _breaker.RecordFailure("b", "x");

        Assert.Empty(_log.Tripped("a"));
        Assert.Empty(_log.Tripped("b"));
        _breaker.RecordFailure("a", "x");
        Assert.Single(_log.Tripped("a"));
        Assert.Empty(_log.Tripped("b"));
    }

    [Fact]
    public void A_module_enabled_again_starts_from_zero_and_can_trip_again()
    {
        for (var i = 0; i < 3; i++) _breaker.RecordFailure("m", "x");
        Assert.Single(_log.Tripped("m"));

        _breaker.Reset("m");
        _breaker.RecordFailure("m", "x");
        _breaker.RecordFailure("m", "x");
        Assert.Single(_log.Tripped("m"));
        _breaker.RecordFailure("m", "x");
        Assert.Equal(2, _log.Tripped("m").Count);
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private sealed class RecordingLogger : ILogger<ModuleCrashBreaker>
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public List<string> Tripped(string moduleId)
            => [.. _messages.Where(m => m.StartsWith($"Module {moduleId} failed ", StringComparison.Ordinal))];

        public async Task WaitForAsync(string text)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!_messages.Any(m => m.Contains(text, StringComparison.Ordinal)))
                await Task.Delay(10, timeout.Token);
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _messages.Enqueue(formatter(state, exception));
    }
}
