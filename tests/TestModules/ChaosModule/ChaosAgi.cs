using PbxModules.Sdk.Agi;

namespace TestModules.Chaos;

/// <summary>Behaves: sets CHAOS_OK=1.</summary>
[AgiHandler("ok")]
public sealed class OkHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => channel.SetVariableAsync("CHAOS_OK", "1", cancellationToken);
}

/// <summary>Throws at once.</summary>
[AgiHandler("throw")]
public sealed class ThrowHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => throw new InvalidOperationException("chaos: this handler always throws");
}

/// <summary>Never finishes on its own; its own budget is one second.</summary>
[AgiHandler("sleep", TimeoutSeconds = 1)]
public sealed class SleepHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => Task.Delay(Timeout.Infinite, cancellationToken);
}

/// <summary>Never finishes on its own; no budget of its own (the host's <c>Agi:HandlerTimeout</c> applies).</summary>
[AgiHandler("stall")]
public sealed class StallHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => Task.Delay(Timeout.Infinite, cancellationToken);
}

/// <summary>
/// Sends NOOP and waits for its reply, which a test can hold back to keep the session in flight,
/// then sets CHAOS_HOLD=done. A generous budget of its own.
/// </summary>
[AgiHandler("hold", TimeoutSeconds = 300)]
public sealed class HoldHandler : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        await channel.NoopAsync(cancellationToken);
        await channel.SetVariableAsync("CHAOS_HOLD", "done", cancellationToken);
    }
}
