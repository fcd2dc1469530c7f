namespace PbxModules.Host.Modules.Journaling;

/// <summary>
/// Told each time an install or upgrade has journaled a step: the seam the crash tests use to stop a
/// transition exactly there. The daemon's own (<see cref="ConfiguredFaultInjector"/>) does nothing unless
/// fault injection is switched on explicitly.
/// </summary>
public interface ITransitionFaultInjector
{
    /// <summary>Called right after <paramref name="step"/> of <paramref name="operation"/> (<c>install</c>, <c>upgrade</c>) was journaled.</summary>
    void Reached(string operation, TransitionStep step);
}

/// <summary>
/// Thrown by a fault injector to stop a transition dead, as a kill would: no transition catches it, so
/// nothing is rolled back in the process and what is on disk is what a <c>kill -9</c> there leaves.
/// </summary>
public sealed class SimulatedCrashException(string operation, TransitionStep step)
    : Exception($"Simulated crash at {operation}:{TransitionStepNames.NameOf(step)}.");
