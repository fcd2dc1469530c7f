namespace PbxModules.Host.Dialplan;

/// <summary>The <c>Dialplan</c> configuration section.</summary>
public sealed class DialplanOptions
{
    public const string SectionName = "Dialplan";

    /// <summary>The file written under <c>Paths:AsteriskConfig</c>.</summary>
    public string FileName { get; set; } = "extensions_modules.conf";

    /// <summary>
    /// The whole FastAGI base URL written into hooks (e.g. <c>agi://pbx-modules.example:4573</c>). Empty:
    /// <c>agi://Agi:DialplanAddress:Agi:Port</c> (see <see cref="AgiDialplanOptions"/>).
    /// </summary>
    public string? AgiBaseUrl { get; set; }

    /// <summary>How long one module's contributor may take before it is left out. Default 10 s.</summary>
    public TimeSpan ContributorTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
