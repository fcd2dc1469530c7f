namespace PbxModules.Host.Draining;

/// <summary>How a <see cref="ModuleWorkGate"/> drain ended.</summary>
/// <param name="Aborted">Work still in flight when the abort token was cancelled.</param>
/// <param name="StillRunning">Work that had not left when the gate stopped waiting: it may still run module code.</param>
internal readonly record struct ModuleDrainResult(int Aborted, int StillRunning)
{
    /// <summary>Everything left in time, nothing had to be aborted.</summary>
    public static ModuleDrainResult Ended => default;
}
