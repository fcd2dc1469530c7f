using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModuleFoo.Data;
using PbxModules.Sdk.Ami;

namespace ModuleFoo.Ami;

/// <summary>
/// Counts, over AMI, the calls that ended per greeted caller (<see cref="Greeting.Hangups"/>). One
/// instance runs while the module is enabled and gets the <c>Hangup</c> events one at a time, in order,
/// off the call's path: database work is fine here.
/// </summary>
/// <remarks>
/// A call has several channels and each sends its own <c>Hangup</c>; only the call's first channel
/// (<c>Uniqueid</c> = <c>Linkedid</c>) is counted, so a call counts once however many legs it had.
/// The worker is a singleton: it opens a scope per event for its <see cref="FooDbContext"/>.
/// </remarks>
public sealed class HangupCountingWorker(IServiceScopeFactory scopes) : IAmiWorker
{
    /// <inheritdoc/>
    public AmiSubscription Subscription { get; } = AmiSubscription.ForEvents("Hangup");

    /// <inheritdoc/>
    public async ValueTask OnEventAsync(AmiEvent amiEvent, CancellationToken cancellationToken)
    {
        var uniqueId = amiEvent["Uniqueid"];
        var caller = amiEvent["CallerIDNum"];
        if (uniqueId is null || uniqueId != amiEvent["Linkedid"] || string.IsNullOrEmpty(caller)) return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FooDbContext>();
        await db.Greetings.Where(g => g.CallerId == caller)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Hangups, g => g.Hangups + 1), cancellationToken);
    }
}
