using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace PbxModules.Host.Hosting;

/// <summary>
/// Pets systemd's watchdog (<c>WatchdogSec=</c> in the unit) at half its interval, so a daemon whose
/// scheduler is wedged gets restarted. Microsoft.Extensions.Hosting.Systemd sends READY=1 and
/// STOPPING=1 but not WATCHDOG=1; this adds it. Does nothing outside systemd or without a watchdog.
/// </summary>
internal sealed partial class SystemdWatchdog(ISystemdNotifier notifier, TimeProvider time, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || !TryGetInterval(out var interval)) return;
        LogWatchdog(logger, interval.TotalSeconds);
        using var timer = new PeriodicTimer(interval / 2, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            notifier.Notify(new ServiceState("WATCHDOG=1"));
    }

    private static bool TryGetInterval(out TimeSpan interval)
    {
        interval = default;
        // systemd passes the watchdog interval in microseconds, and the pid it is meant for.
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return false;
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros <= 0) return false;
        interval = TimeSpan.FromMicroseconds(micros);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "systemd watchdog enabled: notifying every {Seconds:0.#} s / 2")]
    private static partial void LogWatchdog(ILogger logger, double seconds);
}
