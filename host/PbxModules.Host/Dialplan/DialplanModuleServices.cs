using PbxModules.Host.Modules;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>Gives every module container an <see cref="IDialplanRefresher"/> backed by the host's <see cref="DialplanService"/>.</summary>
internal sealed class DialplanModuleServices(DialplanService dialplan) : IModuleServicesProvider
{
    public void AddServices(IServiceCollection services, IModuleContext module)
        => services.AddSingleton<IDialplanRefresher>(new Refresher(dialplan));

    private sealed class Refresher(DialplanService dialplan) : IDialplanRefresher
    {
        public Task RefreshAsync(CancellationToken cancellationToken = default) => dialplan.ApplyAsync(cancellationToken);
    }
}
