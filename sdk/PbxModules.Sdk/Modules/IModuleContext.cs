using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace PbxModules.Sdk.Modules;

/// <summary>
/// Who a module is and where it lives, given to <see cref="IPbxModule.ConfigureServices"/> and
/// also registered in the module's container.
/// </summary>
/// <remarks>
/// The host also registers in every module container:
/// <list type="bullet">
/// <item><see cref="ILoggerFactory"/> and <c>ILogger&lt;T&gt;</c>;</item>
/// <item><see cref="IConfiguration"/>: the module's settings section;</item>
/// <item><see cref="TimeProvider"/>: the clock (a fake one in tests);</item>
/// <item><see cref="Data.IModuleDatabase"/>: the module's own database, which
/// <see cref="ModuleServiceCollectionExtensions.AddModuleDbContext{TContext}"/> configures its context for;</item>
/// <item><see cref="Dialplan.IDialplanRefresher"/>: asks the host to compose and reload the dialplan again;</item>
/// <item><see cref="Ami.IAmiClient"/>: the host's AMI connection, shared by all modules.</item>
/// </list>
/// The last two come with the host's dialplan and AMI surfaces: the daemon always runs them, a
/// test host that leaves a surface out leaves its service out too.
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
