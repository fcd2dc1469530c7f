namespace PbxModules.Host.Dialplan;

/// <summary>The well-known contexts of <c>extensions_modules.conf</c> and how the PBX's own dialplan reaches them.</summary>
public static class DialplanContexts
{
    public const string IncomingBeforeDial = "modules-incoming-before-dial";
    public const string IncomingAfterDial = "modules-incoming-after-dial";
    public const string Outgoing = "modules-outgoing";
    public const string Internal = "modules-internal";
    public const string InternalTransfer = "modules-internal-transfer";

    /// <summary>
    /// The lines an administrator adds once to the PBX's own dialplan (extensions.conf) so that the
    /// hook contexts are called where they belong.
    /// </summary>
    public static IReadOnlyList<string> IntegrationLines { get; } =
    [
        "; extensions.conf, after the PBX's own [globals]:",
        "#include extensions_modules.conf",
        "; in each incoming route, before Dial (ARG1 = the route's number):",
        $"same => n,Gosub({IncomingBeforeDial},s,1(${{EXTEN}}))",
        "; in each incoming route, after Dial:",
        $"same => n,Gosub({IncomingAfterDial},s,1(${{EXTEN}}))",
        "; in each outgoing route, before the trunk Dial (ARG1 = the dialled number):",
        $"same => n,Gosub({Outgoing},s,1(${{EXTEN}}))",
        "; in the internal context (feature codes):",
        $"include => {Internal}",
        "; in the transfer context:",
        $"include => {InternalTransfer}",
    ];
}
