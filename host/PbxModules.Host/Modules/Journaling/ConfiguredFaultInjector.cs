using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace PbxModules.Host.Modules.Journaling;

/// <summary>
/// Kills the daemon (SIGKILL, nothing flushed or disposed) at the step named by
/// <c>ModuleHost:FaultInjection:KillAtStep</c> (<c>install:swapped</c>, <c>upgrade:hooks-run</c>), so an
/// end-to-end test can prove that a <c>kill -9</c> at that step is recovered from. Inert unless the
/// environment variable <c>PBXMODULES_FAULT_INJECTION=1</c> is set too: a configuration file alone can
/// never make a production daemon kill itself.
/// </summary>
internal sealed partial class ConfiguredFaultInjector(IOptionsMonitor<ModuleHostOptions> options, ILogger<ConfiguredFaultInjector> logger) : ITransitionFaultInjector
{
    /// <summary>The environment variable that must be <c>1</c> for the setting to be honoured.</summary>
    public const string EnvironmentVariable = "PBXMODULES_FAULT_INJECTION";

    private readonly bool _enabled = Environment.GetEnvironmentVariable(EnvironmentVariable) == "1";

    public void Reached(string operation, TransitionStep step)
    {
        if (!_enabled || options.CurrentValue.FaultInjection.KillAtStep is not { Length: > 0 } target) return;
        if (!string.Equals(target, $"{operation}:{TransitionStepNames.NameOf(step)}", StringComparison.Ordinal)) return;
        LogKilling(logger, target, EnvironmentVariable);
        Process.GetCurrentProcess().Kill();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fault injection: killing the daemon at {Step} (ModuleHost:FaultInjection:KillAtStep with {Variable}=1). Unset both outside crash tests.")]
    private static partial void LogKilling(ILogger logger, string step, string variable);
}
