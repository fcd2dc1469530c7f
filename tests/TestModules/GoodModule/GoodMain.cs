using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Good;

/// <summary>
/// A well-behaved module whose behaviour the host tests steer through its settings section
/// (<c>Modules:test-good</c>):
/// <list type="bullet">
/// <item>every lifecycle hook call appends one line to a log (<c>hooks.log</c> in the module's data
/// folder, or the file named by <c>HookLog</c>), so tests can count calls across restarts;</item>
/// <item><c>VetoEnable</c> / <c>VetoDisable</c>: a reason to veto enabling / disabling;</item>
/// <item><c>FailConfigureServices</c>: a message to throw from <see cref="ConfigureServices"/>;</item>
/// <item><c>ServiceStartFails</c>: a message that <see cref="GoodService"/> throws when it starts;</item>
/// <item><c>ThrowIn</c>: hook names (e.g. <c>install,disable</c>) that throw after recording the call;</item>
/// <item><c>HangIn</c>: hook names that wait until their cancellation token fires.</item>
/// </list>
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
        if (context.Configuration["ServiceStartFails"] is { Length: > 0 })
            services.AddModuleService<GoodService>();
    }

    /// <inheritdoc/>
    public Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        => Record(context, "install", "install", cancellationToken);

    /// <inheritdoc/>
    public Task OnUpgradeAsync(IModuleLifecycleContext context, string fromVersion, CancellationToken cancellationToken)
        => Record(context, "upgrade", $"upgrade from {fromVersion}", cancellationToken);

    /// <inheritdoc/>
    public async Task<LifecycleDecision> OnBeforeEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        await Record(context, "before-enable", "before-enable", cancellationToken);
        return Decide(context, "VetoEnable");
    }

    /// <inheritdoc/>
    public Task OnEnableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        => Record(context, "enable", "enable", cancellationToken);

    /// <inheritdoc/>
    public async Task<LifecycleDecision> OnBeforeDisableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        await Record(context, "before-disable", "before-disable", cancellationToken);
        return Decide(context, "VetoDisable");
    }

    /// <inheritdoc/>
    public Task OnDisableAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
        => Record(context, "disable", "disable", cancellationToken);

    /// <inheritdoc/>
    public Task OnUninstallAsync(IModuleLifecycleContext context, bool keepData, CancellationToken cancellationToken)
        => Record(context, "uninstall", $"uninstall keepData={keepData}", cancellationToken);

    private static LifecycleDecision Decide(IModuleLifecycleContext context, string setting)
        => context.Module.Configuration[setting] is { Length: > 0 } reason ? LifecycleDecision.Veto(reason) : LifecycleDecision.Allow;

    private static async Task Record(IModuleLifecycleContext context, string hook, string line, CancellationToken cancellationToken)
    {
        var settings = context.Module.Configuration;
        var path = settings["HookLog"] is { Length: > 0 } configured ? configured : Path.Combine(context.Module.DataDirectory, HookLogFileName);
        await File.AppendAllTextAsync(path, line + "\n", CancellationToken.None);

        if (Names(settings["ThrowIn"]).Contains(hook))
            throw new InvalidOperationException($"The {hook} hook of test-good fails on purpose.");
        if (Names(settings["HangIn"]).Contains(hook))
            await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static string[] Names(string? list) => list?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
}
