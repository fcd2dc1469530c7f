namespace PbxModules.Host.Dialplan;

/// <summary>
/// The <c>Agi</c> section's setting for the dialplan: the address Asterisk dials to reach the FastAGI
/// listener. The listener's own settings (<c>Agi:Address</c>, <c>Agi:Port</c>) are in <c>FastAgiOptions</c>;
/// a listen address may be a wildcard (<c>*</c>, <c>0.0.0.0</c>, <c>::</c>), which Asterisk cannot dial.
/// </summary>
public sealed class AgiDialplanOptions
{
    public const string SectionName = "Agi";

    /// <summary>
    /// The host name or IP address written into <c>AGI(agi://…)</c> (<c>Agi:DialplanAddress</c>). Empty: the
    /// listen address, or <c>127.0.0.1</c> when the daemon listens on a wildcard. Set it when Asterisk runs
    /// on another machine.
    /// </summary>
    public string? DialplanAddress { get; set; }
}
