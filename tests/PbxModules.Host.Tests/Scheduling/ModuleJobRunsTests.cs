using PbxModules.Host.Scheduling;

namespace PbxModules.Host.Tests.Scheduling;

/// <summary>
/// The record of module job runs in progress, which disabling a module relies on to cancel its jobs
/// and wait until none of them runs.
/// </summary>
public sealed class ModuleJobRunsTests
{
    private readonly ModuleJobRuns _runs = new();

    [Fact]
    public async Task Stopping_a_module_cancels_its_running_jobs_and_returns_only_when_they_have_ended()
    {
        var first = _runs.Start("m", CancellationToken.None);
        var second = _runs.Start("m", CancellationToken.None);

        var stopping = _runs.StopAsync("m", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(first.Token.IsCancellationRequested);
        Assert.True(second.Token.IsCancellationRequested);

        first.Dispose();
        Assert.False(stopping.IsCompleted);
        second.Dispose();
        Assert.True(await stopping);
    }

    [Fact]
    public async Task A_run_that_ignores_cancellation_lets_stopping_give_up_after_the_timeout()
    {
        using var stuck = _runs.Start("m", CancellationToken.None);

        Assert.False(await _runs.StopAsync("m", TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task A_run_that_starts_after_its_module_stopped_starts_cancelled_until_the_module_is_enabled_again()
    {
        Assert.True(await _runs.StopAsync("m", TimeSpan.FromMinutes(1), CancellationToken.None));
        using (var late = _runs.Start("m", CancellationToken.None))
            Assert.True(late.Token.IsCancellationRequested);

        _runs.Reset("m");
        using var again = _runs.Start("m", CancellationToken.None);
        Assert.False(again.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Stopping_one_module_leaves_the_runs_of_another_alone()
    {
        using var other = _runs.Start("other", CancellationToken.None);

        Assert.True(await _runs.StopAsync("m", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(other.Token.IsCancellationRequested);
    }

    [Fact]
    public void The_host_stopping_cancels_a_run_through_the_job_token()
    {
        using var quartz = new CancellationTokenSource();
        using var run = _runs.Start("m", quartz.Token);

        quartz.Cancel();

        Assert.True(run.Token.IsCancellationRequested);
    }
}
