using PbxModules.Asterisk.Ami;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Ami;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Ami;

/// <summary>Gives every module container the host's one AMI connection as <see cref="IAmiClient"/>.</summary>
internal sealed class AmiModuleServices(AmiClient client) : IModuleServicesProvider
{
    public void AddServices(IServiceCollection services, IModuleContext module) => services.AddSingleton<IAmiClient>(client);
}
