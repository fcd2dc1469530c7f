using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Good;

/// <summary>
/// Appends one line per lifecycle hook call to a log (<c>hooks.log</c> in the module's data folder,
/// or the file named by setting <c>HookLog</c>), so tests can count calls across restarts. Vetoes
/// enabling or disabling when settings <c>VetoEnable</c> / <c>VetoDisable</c> hold a reason, and
/// fails to load while setting <c>FailConfigureServices</c> holds a message.
/// </summary>
public sealed class GoodMain : IPbxModule
{
    /// <summary>The log's file name in the data folder.</summary>
    public const string HookLogFileName = "hooks.log";

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        if (context.Configuration["FailConfigureServices"] is { Length: > 0 } message)
            throw new InvalidOperationException(message);
        services.AddDialplanContributor<GoodDialplan>();
    }

    /// <inheritdoc/>
    public Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        => Record(context, "install");

    /// <inheritdoc/>
    public Task OnUpgradeAsync(IModuleLifecycleContext context, string fromVersion, CancellationToken cancellationToken)
        => Record(context, $"upgrade from {fromVersion}");

    /// <inheritdoc/>
    public async Task<LifecycleDecision> OnBeforeEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        await Record(context, "before-enable");
        return Decide(context, "VetoEnable");
    }

    /// <inheritdoc/>
    public Task OnEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        => Record(context, "enable");

    /// <inheritdoc/>
    public async Task<LifecycleDecision> OnBeforeDisableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        await Record(context, "before-disable");
        return Decide(context, "VetoDisable");
    }

    /// <inheritdoc/>
    public Task OnDisableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        => Record(context, "disable");

    /// <inheritdoc/>
    public Task OnUninstallAsync(IModuleLifecycleContext context, bool keepData, CancellationToken cancellationToken)
        => Record(context, $"uninstall keepData={keepData}");

    private static LifecycleDecision Decide(IModuleLifecycleContext context, string setting)
        => context.Module.Configuration[setting] is { Length: > 0 } reason ? LifecycleDecision.Veto(reason) : LifecycleDecision.Allow;

    private static Task Record(IModuleLifecycleContext context, string line)
    {
        var module = context.Module;
        var path = module.Configuration["HookLog"] is { Length: > 0 } configured ? configured : Path.Combine(module.DataDirectory, HookLogFileName);
        return File.AppendAllTextAsync(path, line + "\n");
    }
}
