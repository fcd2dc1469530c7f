namespace PbxModules.Host.Modules;

/// <summary>The <c>ModuleHost</c> configuration section: limits the host puts on module code.</summary>
public sealed class ModuleHostOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ModuleHost";

    /// <summary>
    /// How long a lifecycle hook (install, upgrade, enable, disable, uninstall) may run before the
    /// host gives up on it and records the module as failed. Default two minutes.
    /// </summary>
    public TimeSpan LifecycleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long disabling a module (or stopping the host) waits on each surface for the module's work
    /// in flight (AGI sessions, REST calls, job runs, AMI workers, service stops) before that work is
    /// told to stop; aborted work then gets a few seconds more (<c>ModuleWorkGate.Grace</c>). Default 10 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Crash tests only: where an install or upgrade kills the daemon. Inert without <c>PBXMODULES_FAULT_INJECTION=1</c>.</summary>
    public ModuleFaultInjectionOptions FaultInjection { get; set; } = new();
}

/// <summary>The <c>ModuleHost:FaultInjection</c> section, honoured only with <c>PBXMODULES_FAULT_INJECTION=1</c> in the environment.</summary>
public sealed class ModuleFaultInjectionOptions
{
    /// <summary><c>&lt;install|upgrade&gt;:&lt;step&gt;</c>, e.g. <c>upgrade:data-backed-up</c> (steps: <see cref="Journaling.TransitionStep"/> in kebab case); null: never.</summary>
    public string? KillAtStep { get; set; }
}
