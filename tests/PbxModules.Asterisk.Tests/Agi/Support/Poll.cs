namespace PbxModules.Asterisk.Tests.Agi.Support;

/// <summary>
/// Waits for server state that raises no event (a session count, the OS's connection table) by
/// looking at it again every few milliseconds, always with a deadline: a condition that never holds
/// fails the test instead of hanging it.
/// </summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition()) await Task.Delay(10, cancellationToken);
    }

    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline)
    {
        using var safety = new CancellationTokenSource(deadline);
        await UntilAsync(condition, safety.Token);
    }
}
