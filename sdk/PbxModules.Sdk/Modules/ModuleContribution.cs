using PbxModules.Sdk.Scheduling;

namespace PbxModules.Sdk.Modules;

/// <summary>The surface a contribution plugs into.</summary>
internal enum ContributionKind
{
    /// <summary>An <see cref="Dialplan.IDialplanContributor"/>.</summary>
    Dialplan,

    /// <summary>An <see cref="Agi.IAgiHandler"/> reached by an AGI route.</summary>
    AgiHandler,

    /// <summary>An <see cref="Ami.IAmiWorker"/>.</summary>
    AmiWorker,

    /// <summary>A class marked <see cref="Rest.ApiResourceAttribute"/>.</summary>
    RestResource,

    /// <summary>A Quartz <c>IJob</c> with its schedule.</summary>
    Job,

    /// <summary>An <see cref="IModuleService"/> the host starts and stops with the module.</summary>
    Service,
}

/// <summary>
/// One thing a module contributes, recorded in its service collection by the <c>Add…</c> helpers
/// of <see cref="ModuleServiceCollectionExtensions"/>. The host reads these to wire the surfaces;
/// internal (visible to the host) because a module only ever writes them through the helpers.
/// </summary>
/// <param name="Kind">The surface.</param>
/// <param name="ImplementationType">The class that implements it.</param>
/// <param name="Name">The AGI route name, REST path (relative to the module) or job name; null for dialplan contributors and workers.</param>
/// <param name="Schedule">For jobs, when they run.</param>
internal sealed record ModuleContribution(ContributionKind Kind, Type ImplementationType, string? Name = null, JobSchedule? Schedule = null);
