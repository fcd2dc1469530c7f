namespace PbxModules.Sdk.Dialplan;

/// <summary>
/// Contributes dialplan to <c>extensions_modules.conf</c>. The host asks every enabled module's
/// contributors at start-up and whenever a module is enabled, disabled or its settings change, then
/// renders, validates and writes the file and reloads the dialplan.
/// </summary>
/// <remarks>
/// Contributions to the same hook point are placed in ascending <see cref="Order"/>, then by module id.
/// A contributor that throws is left out (with a warning); the rest of the dialplan is still written.
/// </remarks>
public interface IDialplanContributor
{
    /// <summary>Position among contributions to the same hook point; lower runs first. Default 500.</summary>
    int Order => 500;

    /// <summary>Adds lines to the hook points through the builder.</summary>
    /// <param name="dialplan">The builder for this module's contribution.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken);
}
