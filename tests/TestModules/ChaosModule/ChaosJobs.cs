using Quartz;

namespace TestModules.Chaos;

/// <summary>
/// Scheduled every second, takes <see cref="ChaosSettings.JobDuration"/> (longer than its interval),
/// and records each run with how many runs were in progress when it started.
/// </summary>
public sealed class SlowJob(ChaosDb db, ChaosSettings settings) : IJob
{
    private static int s_running;

    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var concurrent = Interlocked.Increment(ref s_running);
        var run = new JobRun { Concurrent = concurrent };
        try
        {
            db.JobRuns.Add(run);
            await db.SaveChangesAsync(CancellationToken.None);
            await Task.Delay(settings.JobDuration, cancellationToken);
            run.Outcome = "completed";
        }
        catch (OperationCanceledException)
        {
            run.Outcome = "cancelled";
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref s_running);
            run.Outcome ??= "failed";
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }
}
