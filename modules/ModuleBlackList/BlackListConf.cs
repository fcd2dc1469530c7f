using System.Globalization;
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

    /// <summary>True when the dialplan rendered for <paramref name="next"/> differs from the one for <paramref name="previous"/>.</summary>
    public static bool RendersDifferently(BlackListSettings previous, BlackListSettings next)
        => previous.FailMode != next.FailMode || previous.Action != next.Action || previous.HangupCause != next.HangupCause
           || previous.Sound != next.Sound || previous.RedirectContext != next.RedirectContext
           || previous.RedirectExtension != next.RedirectExtension || previous.RedirectPriority != next.RedirectPriority;

    /// <summary>Early: screening runs before other modules' incoming hooks.</summary>
    public int Order => 100;

    /// <inheritdoc/>
    public async ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        // The host composes the dialplan as soon as the module is enabled, while the service still
        // loads its settings in the background: rendering at once would write a stored fail-closed
        // mode as the default fail-open. Wait for the settings, bounded well below the host's
        // contributor timeout (10 s): past it, the current settings are rendered.
        try
        {
            await blackList.SettingsLoaded.WaitAsync(SettingsWait, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        var settings = blackList.Settings;
        var failClosed = settings.FailMode == FailMode.Closed;
        var hook = dialplan.IncomingBeforeDial(IncomingStage.PreSystem);
        hook.Add("Set", "BLACKLISTED=")
            .Add("Set", "BLACKLIST_REDIRECT=")
            .Add("Set", "PBXMODULES_STATUS=")
            // The call's linkedid lets the check count it once with the AMI worker (flood protection).
            .Add("AGI", dialplan.AgiUrl("check"), "${ARG1}", "${CHANNEL(linkedid)}")
            .Raw("GotoIf($[\"${BLACKLISTED}\" = \"1\"]?bl-reject)")
            .Raw("GotoIf($[\"${AGISTATUS}\" = \"FAILURE\" | \"${PBXMODULES_STATUS}\" != \"OK\"]?bl-failed)")
            .Raw("Goto(bl-done)")
            .AddLabeled("bl-failed", "NoOp", $"Blacklist check did not run (AGISTATUS=${{AGISTATUS}} PBXMODULES_STATUS=${{PBXMODULES_STATUS}}): fail-{(failClosed ? "closed" : "open")}")
            .Raw(failClosed ? "Goto(bl-reject)" : "Goto(bl-done)");

        // Safety net: whatever the AGI did or could not do, a rejected caller never reaches Dial. It does
        // what the configured action does, so a call the handler could not finish ends the same way.
        hook.Raw("GotoIf($[\"${BLACKLIST_REDIRECT}\" != \"\"]?bl-redirect)", "bl-reject");
        var cause = settings.HangupCause.ToString(CultureInfo.InvariantCulture);
        // Busy() and Congestion() end the call themselves (with cause 17 and 34), as Goto() leaves the hook.
        switch (settings.Action)
        {
            case BlockAction.Busy:
                hook.Add("Busy", "10");
                break;
            case BlockAction.Congestion:
                hook.Add("Congestion", "10");
                break;
            case BlockAction.PlaySound:
                // Playback() answers; a missing sound makes it log a warning and go on, to the hang-up.
                hook.Add("Playback", settings.Sound).Add("Hangup", cause);
                break;
            case BlockAction.Redirect when settings.RedirectContext.Length > 0:
                hook.Add("StackPop").Add("Goto", settings.RedirectContext, settings.RedirectExtension, settings.RedirectPriority.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                hook.Add("Hangup", cause);
                break;
        }

        // Redirect, as the handler decided it (BLACKLIST_REDIRECT=context,exten,priority). This runs inside
        // the Gosub(modules-incoming-before-dial,…) frame: StackPop() drops the frame first, so a destination
        // that ends in Return() cannot come back into the incoming route after the hook (Return() with an
        // empty stack fails and the call ends), and the destination does not leak a frame either.
        hook.AddLabeled("bl-redirect", "StackPop")
            .Add("Goto", "${BLACKLIST_REDIRECT}")
            .AddLabeled("bl-done", "NoOp", "Blacklist check done");

        dialplan.Internal.Extension("_*30.").Add("AGI", dialplan.AgiUrl("add"), "${EXTEN:3}").Add("Hangup");
        dialplan.Internal.Extension("*30").Add("AGI", dialplan.AgiUrl("add")).Add("Hangup");
        dialplan.Internal.Extension("_*31.").Add("AGI", dialplan.AgiUrl("remove"), "${EXTEN:3}").Add("Hangup");
        dialplan.Internal.Extension("*31").Add("AGI", dialplan.AgiUrl("remove")).Add("Hangup");
        dialplan.Internal.Extension("*32").Add("AGI", dialplan.AgiUrl("block-last")).Add("Hangup");
    }
}
