using PbxModules.Sdk.Modules;

namespace TestModules.Good;

/// <summary>
/// A module service, registered only when setting <c>ServiceStartFails</c> holds a message: it throws
/// that message from an asynchronous start, after its first await (so the exception's
/// <see cref="Exception.TargetSite"/> is a compiler-generated state machine, not this type).
/// </summary>
public sealed class GoodService(IModuleContext context) : IModuleService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        throw new InvalidOperationException(context.Configuration["ServiceStartFails"]);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
