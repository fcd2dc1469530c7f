using PbxModules.Sdk.Dialplan;

namespace ModuleFoo.Dialplan;

/// <summary>
/// The module's dialplan hook: in every incoming route, just before the call rings anyone (stage
/// <see cref="IncomingStage.Module"/>), Asterisk runs the <c>greet</c> AGI handler. The host renders
/// it into <c>[modules-incoming-before-dial]</c> of <c>extensions_modules.conf</c>, which the PBX's
/// incoming routes call with the route's number as <c>ARG1</c>.
/// </summary>
public sealed class FooDialplan : IDialplanContributor
{
    /// <summary>The route of <see cref="Agi.GreetHandler"/>.</summary>
    internal const string GreetRoute = "greet";

    /// <inheritdoc/>
    public ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        dialplan.IncomingBeforeDial(IncomingStage.Module)
            // Cleared first: a value left on the channel by an earlier hook must not look like this call's greeting.
            .Add("Set", "FOO_GREETING=")
            .Add("AGI", dialplan.AgiUrl(GreetRoute), "${ARG1}")
            // AGISTATUS=FAILURE: the daemon was unreachable; the call goes on ungreeted rather than failing.
            .Add("NoOp", "Greeting ${FOO_GREETING} (AGISTATUS=${AGISTATUS})");
        return ValueTask.CompletedTask;
    }
}
