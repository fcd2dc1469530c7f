namespace PbxModules.Sdk.Dialplan;

/// <summary>
/// Where in the PBX's dialplan a contribution runs. Each hook renders as a well-known context the
/// administrator calls once from the PBX's own dialplan (see the README's integration lines).
/// </summary>
public enum DialplanHook
{
    /// <summary><c>[globals]</c> variables.</summary>
    Globals,

    /// <summary>
    /// <c>[modules-incoming-before-dial]</c>: a subroutine called in each incoming route before
    /// <c>Dial</c>, with the route's number (DID) as <c>ARG1</c>. Runs in three stages, see <see cref="IncomingStage"/>.
    /// </summary>
    IncomingBeforeDial,

    /// <summary><c>[modules-incoming-after-dial]</c>: a subroutine called after <c>Dial</c> in incoming routes (ARG1 = DID).</summary>
    IncomingAfterDial,

    /// <summary><c>[modules-outgoing]</c>: a subroutine called before the trunk <c>Dial</c> (ARG1 = dialled number).</summary>
    Outgoing,

    /// <summary><c>[modules-internal]</c>: extensions (feature codes) included into the internal context.</summary>
    Internal,

    /// <summary><c>[modules-internal-transfer]</c>: extensions included into the transfer context.</summary>
    InternalTransfer,

    /// <summary>A module's own contexts, named <c>[&lt;module-id&gt;-&lt;name&gt;]</c>.</summary>
    ModuleContext,
}

/// <summary>
/// The three stages of <see cref="DialplanHook.IncomingBeforeDial"/>, in the order they run
/// (MikoPBX's <c>PreSystem</c>, <c>System</c>, <c>BeforeDial</c>): a blocking module contributes to
/// <see cref="PreSystem"/> so that it runs before, e.g., an off-hours rule in <see cref="System"/>.
/// </summary>
public enum IncomingStage
{
    /// <summary>Before the PBX's own rules: call screening, blacklists.</summary>
    PreSystem,

    /// <summary>The PBX's own rules: off-hours, routing decisions.</summary>
    System,

    /// <summary>Just before dial: tagging, recording, CRM look-ups.</summary>
    Module,
}
