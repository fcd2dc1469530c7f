using PbxModules.Host.Modules;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Dialplan;

/// <summary>Gives every module container an <see cref="IDialplanRefresher"/> backed by the host's <see cref="DialplanService"/>.</summary>
internal sealed class DialplanModuleServices(IServiceProvider host) : IModuleServicesProvider
{
    public void AddServices(IServiceCollection services, IModuleContext module)
        => services.AddSingleton<IDialplanRefresher>(new Refresher(host));

    // Resolved lazily: the dialplan service is itself a module activation listener.
    private sealed class Refresher(IServiceProvider host) : IDialplanRefresher
    {
        public Task RefreshAsync(CancellationToken cancellationToken = default)
            => host.GetRequiredService<DialplanService>().ApplyAsync(cancellationToken);
    }
}
