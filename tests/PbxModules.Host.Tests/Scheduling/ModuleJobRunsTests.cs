using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.Scheduling;

namespace PbxModules.Host.Tests.Scheduling;

/// <summary>
/// The record of module job runs in progress, which disabling a module relies on to cancel its jobs
/// and wait until none of them runs.
/// </summary>
public sealed class ModuleJobRunsTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ModuleJobRuns _runs;

    public ModuleJobRunsTests() => _runs = new ModuleJobRuns(_time);

    [Fact]
    public async Task Stopping_a_module_cancels_its_running_jobs_and_returns_only_when_they_have_ended()
    {
        var first = _runs.TryStart("m", CancellationToken.None)!;
        var second = _runs.TryStart("m", CancellationToken.None)!;

        var stopping = _runs.StopAsync("m", TimeSpan.FromMinutes(1), CancellationToken.None);
        await Cancelled(first.Token);
        await Cancelled(second.Token);

        first.Dispose();
        Assert.False(stopping.IsCompleted);
        second.Dispose();
        var stopped = await stopping;
        Assert.Equal(2, stopped.Aborted);
        Assert.Equal(0, stopped.StillRunning);
    }

    [Fact]
    public async Task A_run_that_ignores_cancellation_lets_stopping_give_up_after_the_timeout()
    {
        using var stuck = _runs.TryStart("m", CancellationToken.None)!;

        var stopping = _runs.StopAsync("m", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, (await stopping.WaitAsync(TimeSpan.FromMinutes(1))).StillRunning);
    }

    [Fact]
    public async Task A_run_that_starts_after_its_module_stopped_does_not_start_until_the_module_is_enabled_again()
    {
        Assert.Equal(0, (await _runs.StopAsync("m", TimeSpan.FromMinutes(1), CancellationToken.None)).StillRunning);
        Assert.Null(_runs.TryStart("m", CancellationToken.None));

        _runs.Reset("m");
        using var again = _runs.TryStart("m", CancellationToken.None);
        Assert.NotNull(again);
        Assert.False(again.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Stopping_one_module_leaves_the_runs_of_another_alone()
    {
        using var other = _runs.TryStart("other", CancellationToken.None)!;

        Assert.Equal(0, (await _runs.StopAsync("m", TimeSpan.FromMinutes(1), CancellationToken.None)).Aborted);
        Assert.False(other.Token.IsCancellationRequested);
    }

    // The gate cancels its runs' linked tokens from the thread pool; the bound only turns a hang into a failure.
    private static Task Cancelled(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => cancelled.TrySetResult());
        return cancelled.Task.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void The_host_stopping_cancels_a_run_through_the_job_token()
    {
        using var quartz = new CancellationTokenSource();
        using var run = _runs.TryStart("m", quartz.Token)!;

        quartz.Cancel();

        Assert.True(run.Token.IsCancellationRequested);
    }
}
