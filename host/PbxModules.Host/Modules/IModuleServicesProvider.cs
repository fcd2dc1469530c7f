using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>
/// Adds host services to every module's container before the module configures it (e.g. the AMI
/// client, the module's database). Register implementations in the host's container; each host
/// surface that modules consume contributes one.
/// </summary>
public interface IModuleServicesProvider
{
    /// <summary>Adds the services for one module.</summary>
    void AddServices(IServiceCollection services, IModuleContext module);
}
