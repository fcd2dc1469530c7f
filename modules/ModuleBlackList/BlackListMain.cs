using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Modules;

namespace ModuleBlackList;

/// <summary>
/// The module's entry point: registers its services and contributions. The surfaces (the in-call
/// check, the list over REST, the AMI worker and jobs) are added here as they are built.
/// </summary>
public sealed partial class BlackListMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
    }

    /// <inheritdoc/>
    public Task OnInstallAsync(IModuleLifecycleContext context, CancellationToken cancellationToken)
    {
        LogInstalled(context.Logger, context.Module.Manifest.Version);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ModuleBlackList {Version} installed")]
    private static partial void LogInstalled(ILogger logger, string? version);
}
