using ModuleBlackList.Settings;
using PbxModules.Sdk.Dialplan;

namespace ModuleBlackList;

/// <summary>
/// The module's dialplan hooks:
/// <list type="bullet">
/// <item>the in-call check in the pre-system stage of every incoming route (before the PBX's own
/// rules, e.g. off-hours), with the route's number as argument; it fails open or closed as
/// configured when the daemon is unreachable (<c>AGISTATUS=FAILURE</c>) or the check did not run
/// (<c>PBXMODULES_STATUS</c> not OK);</item>
/// <item>feature codes in the internal context: <c>*30</c> add a number, <c>*31</c> remove one,
/// <c>*32</c> block the last caller who rang this extension.</item>
/// </list>
/// </summary>
public sealed class BlackListConf(BlackListService blackList) : IDialplanContributor
{
    private static readonly TimeSpan SettingsWait = TimeSpan.FromSeconds(5);

    /// <summary>Early: screening runs before other modules' incoming hooks.</summary>
    public int Order => 100;

    /// <inheritdoc/>
    public async ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        // Fix (BlackListConfTests): the host composes the dialplan as soon as the module is enabled,
        // while the service still loads its settings in the background; a stored fail-closed mode
        // rendered as the default fail-open. Wait for the settings, bounded well below the host's
        // contributor timeout (10 s): past it, the current settings are rendered.
        try
        {
            await blackList.SettingsLoaded.WaitAsync(SettingsWait, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        var failClosed = blackList.Settings.FailMode == FailMode.Closed;
        dialplan.IncomingBeforeDial(IncomingStage.PreSystem)
            .Add("Set", "BLACKLISTED=")
            .Add("Set", "PBXMODULES_STATUS=")
            .Add("AGI", dialplan.AgiUrl("check"), "${ARG1}")
            .Raw("GotoIf($[\"${BLACKLISTED}\" = \"1\"]?bl-reject)")
            .Raw("GotoIf($[\"${AGISTATUS}\" = \"FAILURE\" | \"${PBXMODULES_STATUS}\" != \"OK\"]?bl-failed)")
            .Raw("Goto(bl-done)")
            .AddLabeled("bl-failed", "NoOp", $"Blacklist check did not run (AGISTATUS=${{AGISTATUS}} PBXMODULES_STATUS=${{PBXMODULES_STATUS}}): fail-{(failClosed ? "closed" : "open")}");
        if (failClosed)
            dialplan.IncomingBeforeDial(IncomingStage.PreSystem).Raw("Goto(bl-reject)");
        else
            dialplan.IncomingBeforeDial(IncomingStage.PreSystem).Raw("Goto(bl-done)");
        dialplan.IncomingBeforeDial(IncomingStage.PreSystem)
            // Safety net: whatever the AGI did, a rejected caller never reaches Dial.
            .AddLabeled("bl-reject", "Hangup", "21")
            .AddLabeled("bl-done", "NoOp", "Blacklist check done");

        dialplan.Internal.Extension("_*30.").Add("AGI", dialplan.AgiUrl("add"), "${EXTEN:3}").Add("Hangup");
        dialplan.Internal.Extension("*30").Add("AGI", dialplan.AgiUrl("add")).Add("Hangup");
        dialplan.Internal.Extension("_*31.").Add("AGI", dialplan.AgiUrl("remove"), "${EXTEN:3}").Add("Hangup");
        dialplan.Internal.Extension("*31").Add("AGI", dialplan.AgiUrl("remove")).Add("Hangup");
        dialplan.Internal.Extension("*32").Add("AGI", dialplan.AgiUrl("block-last")).Add("Hangup");
    }
}
