using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Auth.Throttling;

namespace PbxModules.Host.Tests.Auth.Throttling;

/// <summary>The failure table stays bounded under a spray of keys and does not give up running locks for it.</summary>
public sealed class FailureTrackerTests
{
    private static readonly AuthThrottleOptions Options = new() { MaxFailures = 2, FirstLockout = TimeSpan.FromSeconds(30), MaxLockout = TimeSpan.FromMinutes(5), MaxTrackedEntries = 100 };

    [Fact]
    public void A_spray_of_keys_stays_within_the_bound_and_keeps_the_running_lock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var tracker = new FailureTracker(Options, time);
        tracker.RecordFailure("admin");
        Assert.NotNull(tracker.RecordFailure("admin"));

        for (var i = 0; i < 10_000; i++)
        {
            tracker.RecordFailure($"spray-{i}");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.True(tracker.Count <= Options.MaxTrackedEntries, $"{tracker.Count} entries");
        Assert.NotNull(tracker.RetryAfter("admin"));
    }

    [Fact]
    public void The_lock_doubles_up_to_the_maximum_and_failures_are_forgotten_after_the_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var tracker = new FailureTracker(Options, time);
        Assert.Null(tracker.RecordFailure("a"));
        var expected = new[] { 30, 60, 120, 240, 300, 300 };
        foreach (var seconds in expected)
        {
            var lockout = tracker.RecordFailure("a");
            Assert.Equal(TimeSpan.FromSeconds(seconds), lockout?.Duration);
            time.Advance(lockout!.Value.Duration);
            Assert.Null(tracker.RetryAfter("a"));
        }

        time.Advance(Options.FailureWindow + TimeSpan.FromSeconds(1));
        Assert.Null(tracker.RecordFailure("a"));
    }
}
