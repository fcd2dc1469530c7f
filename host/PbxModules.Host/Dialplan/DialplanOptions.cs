namespace PbxModules.Host.Dialplan;

/// <summary>The <c>Dialplan</c> configuration section.</summary>
public sealed class DialplanOptions
{
    public const string SectionName = "Dialplan";

    /// <summary>The file written under <c>Paths:AsteriskConfig</c>.</summary>
    public string FileName { get; set; } = "extensions_modules.conf";

    /// <summary>
    /// The FastAGI address Asterisk should dial, as written into hooks. Empty: <c>agi://Agi:Address:Agi:Port</c>
    /// (set it when the daemon listens on 0.0.0.0 or Asterisk runs on another box).
    /// </summary>
    public string? AgiBaseUrl { get; set; }

    /// <summary>How long one module's contributor may take before it is left out. Default 10 s.</summary>
    public TimeSpan ContributorTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
