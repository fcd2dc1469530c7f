namespace PbxModules.Sdk.Agi;

/// <summary>
/// Handles one AGI session: one call that reached this handler's route. A new instance is resolved
/// from a fresh DI scope of the module's container for every session, so scoped services (a
/// <c>DbContext</c>) are safe to inject.
/// </summary>
/// <remarks>
/// This runs on the call's hot path: the caller hears silence while it runs. Keep database work
/// off it (use an in-memory index), and decide fail-open or fail-closed by setting a channel variable
/// before acting. The token is cancelled when the caller hangs up or the handler's time budget runs
/// out; commands sent after a hang-up throw <see cref="AgiHangupException"/>.
/// </remarks>
public interface IAgiHandler
{
    /// <summary>Runs the session.</summary>
    /// <param name="channel">The call: its request variables and the AGI commands.</param>
    /// <param name="cancellationToken">Cancelled on hang-up, time-out or host shutdown.</param>
    Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken);
}
