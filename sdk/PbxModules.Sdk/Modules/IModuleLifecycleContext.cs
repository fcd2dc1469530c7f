using Microsoft.Extensions.Logging;

namespace PbxModules.Sdk.Modules;

/// <summary>What a lifecycle hook is given: the module context and the module's built service container.</summary>
public interface IModuleLifecycleContext
{
    /// <summary>Who the module is and where it lives.</summary>
    IModuleContext Module { get; }

    /// <summary>The module's own service provider, built from <see cref="IPbxModule.ConfigureServices"/>.</summary>
    IServiceProvider Services { get; }

    /// <summary>A logger for lifecycle messages.</summary>
    ILogger Logger { get; }
}
