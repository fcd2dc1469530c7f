namespace PbxModules.Host.Modules;

/// <summary>
/// Where a surface stands when a module is wired in: listeners run in ascending order when it is
/// enabled and in descending order when it is disabled. A module's services start before anything
/// can call them; jobs, dialplan and supervision are set up before calls arrive over AGI, AMI and
/// REST; and on the way out the entry points close first and the services stop last.
/// </summary>
public enum ActivationOrder
{
    /// <summary>The module's <see cref="Sdk.Modules.IModuleService"/>s.</summary>
    Services = 100,

    /// <summary>Scheduled jobs.</summary>
    Jobs = 200,

    /// <summary>Dialplan lines.</summary>
    Dialplan = 300,

    /// <summary>The crash-loop breaker's counts.</summary>
    Supervision = 400,

    /// <summary>FastAGI routes.</summary>
    Agi = 500,

    /// <summary>AMI workers.</summary>
    AmiWorkers = 600,

    /// <summary>REST endpoints.</summary>
    Rest = 700,
}
