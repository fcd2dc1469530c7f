using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Agi;

/// <summary>Registers the test handlers (<see cref="OkHandler"/> and the others); nothing else.</summary>
public sealed class AgiMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddAgiHandler<OkHandler>();
        services.AddAgiHandler<ThrowHandler>();
        services.AddAgiHandler<StallHandler>();
        services.AddAgiHandler<HangupHandler>();
        services.AddAgiHandler<BusyHandler>();
    }
}
