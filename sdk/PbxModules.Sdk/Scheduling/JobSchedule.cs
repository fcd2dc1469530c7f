namespace PbxModules.Sdk.Scheduling;

/// <summary>When a module job runs: a Quartz cron expression or a fixed interval.</summary>
public sealed class JobSchedule
{
    private JobSchedule(string? cron, TimeSpan? interval)
    {
        CronExpression = cron;
        Interval = interval;
    }

    /// <summary>A Quartz cron expression (seconds first), e.g. <c>0 0 3 * * ?</c> for 03:00 daily.</summary>
    public string? CronExpression { get; }

    /// <summary>A fixed interval between runs.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>Runs on a Quartz cron expression.</summary>
    public static JobSchedule Cron(string expression)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        return new JobSchedule(expression, null);
    }

    /// <summary>Runs every <paramref name="interval"/> (at least one second).</summary>
    public static JobSchedule Every(TimeSpan interval)
    {
        if (interval < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A job interval must be at least one second.");
        return new JobSchedule(null, interval);
    }

    /// <inheritdoc/>
    public override string ToString() => CronExpression is not null ? $"cron '{CronExpression}'" : $"every {Interval}";
}
