namespace PbxModules.Sdk.Dialplan;

/// <summary>
/// Provided by the host in every module container: asks the host to compose, write and reload the
/// dialplan again, e.g. after the module's settings changed what its contributor renders.
/// </summary>
public interface IDialplanRefresher
{
    /// <summary>Recomposes the dialplan from all enabled modules; returns once written (and reloaded when AMI is up).</summary>
    Task RefreshAsync(CancellationToken cancellationToken = default);
}
