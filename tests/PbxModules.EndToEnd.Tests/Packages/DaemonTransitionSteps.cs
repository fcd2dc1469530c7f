using System.Collections;
using System.Runtime.Loader;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// The steps the daemon under test journals for an install or an upgrade, read from its own assembly
/// (<c>TransitionStepNames.StepsOf</c>): this project only starts the daemon, it does not link it, and a step
/// added to the product must become a crash case here without being listed twice.
/// </summary>
internal static class DaemonTransitionSteps
{
    private const string StepNamesType = "PbxModules.Host.Modules.Journaling.TransitionStepNames";

    /// <summary>The kebab-case names (<c>data-backed-up</c>) of the steps of <paramref name="operation"/>, in order.</summary>
    public static IReadOnlyList<string> Of(string operation)
    {
        // A context of its own, unloaded after: only the two static methods run, which need nothing but the BCL.
        var context = new AssemblyLoadContext("daemon-transition-steps", isCollectible: true);
        try
        {
            var names = context.LoadFromAssemblyPath(TestDaemon.DaemonAssemblyPath).GetType(StepNamesType, throwOnError: true)!;
            var steps = (IEnumerable)names.GetMethod("StepsOf")!.Invoke(null, [operation])!;
            var nameOf = names.GetMethod("NameOf")!;
            return [.. steps.Cast<object>().Select(step => (string)nameOf.Invoke(null, [step])!)];
        }
        finally
        {
            context.Unload();
        }
    }
}
