using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace PbxModules.Sdk.Modules;

/// <summary>
/// Who a module is and where it lives, given to <see cref="IPbxModule.ConfigureServices"/> and
/// also registered in the module's container.
/// </summary>
/// <remarks>
/// The host also registers in every module container: <see cref="ILoggerFactory"/> and
/// <c>ILogger&lt;T&gt;</c>, <see cref="IConfiguration"/> (the module's settings section),
/// <see cref="TimeProvider"/>, and, once the corresponding surfaces are running, the AMI client
/// (<see cref="Ami.IAmiClient"/>).
/// </remarks>
public interface IModuleContext
{
    /// <summary>The module id from the manifest, e.g. <c>module-black-list</c>.</summary>
    string ModuleId { get; }

    /// <summary>The validated manifest.</summary>
    ModuleManifest Manifest { get; }

    /// <summary>The folder the module was loaded from (read-only for the module).</summary>
    string ModuleDirectory { get; }

    /// <summary>A folder that belongs to this module alone, for its database and files. Created by the host.</summary>
    string DataDirectory { get; }

    /// <summary>
    /// The module's settings: the host configuration section <c>Modules:&lt;module-id&gt;</c>.
    /// Bind it with <see cref="ModuleServiceCollectionExtensions.AddModuleSettings{TSettings}"/>.
    /// </summary>
    IConfiguration Configuration { get; }

    /// <summary>The host's logger factory; categories are prefixed with the module id.</summary>
    ILoggerFactory LoggerFactory { get; }
}
