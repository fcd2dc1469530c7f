using Microsoft.Extensions.Logging;

namespace PbxModules.Sdk.Testing.Hosting;

/// <summary>What <see cref="ModuleTestHost.StartAsync"/> starts: which modules, with which settings and clock.</summary>
public sealed class ModuleTestHostOptions
{
    /// <summary>
    /// The folder of installed modules the host loads (one sub-folder per module): by default where
    /// <c>&lt;PbxModule Include="path/to/Module.csproj" /&gt;</c> deploys them in the test project's output.
    /// </summary>
    public string ModulesFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "modules");

    /// <summary>Configuration overrides, over the test host's own, e.g. <c>["Modules:module-foo:Greeting"] = "hi"</c>.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The host's clock, and so every module's (e.g. a FakeTimeProvider); null: <see cref="TimeProvider.System"/>. With a
    /// clock of the test's, the AMI keep-alive is off (a jump of the clock would take the unanswered Ping for a dead
    /// connection), and what the host waits out on it (an AMI reconnect, a worker's restart delay) waits for the test to move it.
    /// </summary>
    public TimeProvider? Time { get; set; }

    /// <summary>
    /// True to load each module's own assembly from the test process (when the test references the module) instead
    /// of from its folder, so that the test can resolve the module's internal services from
    /// <see cref="ModuleTestHost.ModuleServices"/> and see the same types. The module is not isolated from the test
    /// then (its dependencies are the test's, and disabling it unloads nothing). Default false: loaded as on a PBX.
    /// </summary>
    public bool ShareModuleAssemblies { get; set; }

    /// <summary>
    /// Logger providers the host logs to besides <see cref="ModuleTestHost.Logs"/> (e.g. one that keeps levels or
    /// writes to the test's output), under the same filters (<c>Logging:LogLevel:*</c> in <see cref="Settings"/>).
    /// </summary>
    public IList<ILoggerProvider> LoggerProviders { get; } = [];

    /// <summary>How long the start (listeners bound, Asterisk logged in to, modules enabled) may take before it fails.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a wait of the host's (an AMI event handled, a log line) may take before it fails instead of hanging the test.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
