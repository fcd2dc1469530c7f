using Microsoft.Extensions.DependencyInjection;

namespace PbxModules.Sdk.Modules;

/// <summary>
/// A module's entry point. Each module assembly has exactly one public, non-abstract class that
/// implements this interface and has a public parameterless constructor (e.g. <c>BlackListMain</c>).
/// </summary>
/// <remarks>
/// <para>
/// The host calls <see cref="ConfigureServices"/> every time it loads the module (start-up and
/// enable). Register services and contributions there, using the <c>Add…</c> helpers of this SDK:
/// <see cref="ModuleServiceCollectionExtensions"/>. The module gets its own service container; the
/// host adds to it the services listed on <see cref="IModuleContext"/>.
/// </para>
/// <para>
/// Lifecycle hooks run once per transition, not once per process start: <see cref="OnInstallAsync"/>
/// when the host first sees the module, <see cref="OnUpgradeAsync"/> when the installed version is
/// older than the manifest's, <see cref="OnEnableAsync"/>/<see cref="OnDisableAsync"/> when an
/// administrator (or the first install) changes its state, <see cref="OnUninstallAsync"/> on removal.
/// The default implementations do nothing.
/// </para>
/// </remarks>
public interface IPbxModule
{
    /// <summary>Registers the module's services and contributions in its own container.</summary>
    /// <param name="services">The module's service collection.</param>
    /// <param name="context">Who the module is and where its data and settings live.</param>
    void ConfigureServices(IServiceCollection services, IModuleContext context);

    /// <summary>Called once, when the module is installed. Create data, seed defaults.</summary>
    Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once per upgrade, when the installed version is older than the manifest's.</summary>
    /// <param name="context">The lifecycle context.</param>
    /// <param name="fromVersion">The version that was installed before.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    Task OnUpgradeAsync(IModuleLifecycleContext context, string fromVersion, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Asked before the module is enabled. Return <see cref="LifecycleDecision.Veto"/> with a reason
    /// to refuse; the reason reaches the administrator through the API.
    /// </summary>
    Task<LifecycleDecision> OnBeforeEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken) => Task.FromResult(LifecycleDecision.Allow);

    /// <summary>Called once, after the module has been enabled.</summary>
    Task OnEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asked before the module is disabled. Return <see cref="LifecycleDecision.Veto"/> with a reason to refuse.</summary>
    Task<LifecycleDecision> OnBeforeDisableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken) => Task.FromResult(LifecycleDecision.Allow);

    /// <summary>Called once, when the module is being disabled, before its contributions are removed.</summary>
    Task OnDisableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once, when the module is being removed.</summary>
    /// <param name="context">The lifecycle context.</param>
    /// <param name="keepData">True when the administrator asked to keep the module's data for a later reinstall.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    Task OnUninstallAsync(IModuleLifecycleContext context, bool keepData, CancellationToken cancellationToken) => Task.CompletedTask;
}
