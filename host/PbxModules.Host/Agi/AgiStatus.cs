namespace PbxModules.Host.Agi;

/// <summary>
/// The values of the channel variable <c>PBXMODULES_STATUS</c> the router sets after each session,
/// so the dialplan can branch: Asterisk's own <c>AGISTATUS</c> says SUCCESS whenever the server
/// closed the connection, so it cannot carry this.
/// </summary>
public static class AgiStatus
{
    public const string VariableName = "PBXMODULES_STATUS";
    public const string Ok = "OK";
    public const string NotFound = "NOT_FOUND";
    public const string Disabled = "DISABLED";
    public const string Error = "ERROR";
    public const string Timeout = "TIMEOUT";

    /// <summary>The module is quarantined by the crash-loop breaker: its handler was not run (a temporary state; see <c>Supervision:</c>).</summary>
    public const string Quarantined = "QUARANTINED";
}
