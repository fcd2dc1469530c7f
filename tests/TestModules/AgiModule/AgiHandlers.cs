using PbxModules.Sdk.Agi;

namespace TestModules.Agi;

/// <summary>Behaves like a screening check that lets the caller through: sets AGI_OK=1.</summary>
[AgiHandler("ok")]
public sealed class OkHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => channel.SetVariableAsync("AGI_OK", "1", cancellationToken);
}

/// <summary>A bug in the module: throws at once.</summary>
[AgiHandler("throw")]
public sealed class ThrowHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => throw new InvalidOperationException("test-agi: this handler always throws");
}

/// <summary>A bug in the module: never finishes (no command outstanding), so only its budget ends it.</summary>
[AgiHandler("stall")]
public sealed class StallHandler : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => Task.Delay(Timeout.Infinite, cancellationToken);
}

/// <summary>Rejects the caller as a blacklist does: sets AGI_REJECTED=1, then HANGUP.</summary>
[AgiHandler("hangup")]
public sealed class HangupHandler : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        await channel.SetVariableAsync("AGI_REJECTED", "1", cancellationToken);
        await channel.HangupAsync(cancellationToken: cancellationToken);
    }
}

/// <summary>Plays busy (<c>EXEC Busy 10</c>, which ends the channel) and returns.</summary>
[AgiHandler("busy")]
public sealed class BusyHandler : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => await channel.ExecAsync("Busy", "10", cancellationToken);
}
