using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Modules;

namespace TestModules.Versioned;

/// <summary>Registers the two handlers.</summary>
public sealed class VersionedMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
    {
        services.AddAgiHandler<VersionHandler>();
        services.AddAgiHandler<HoldHandler>();
    }
}

/// <summary>Sets VERSIONED_VERSION to the version of the module that ran it.</summary>
[AgiHandler("version")]
public sealed class VersionHandler(IModuleContext module) : IAgiHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
        => channel.SetVariableAsync("VERSIONED_VERSION", module.Manifest.Version!, cancellationToken);
}

/// <summary>Sends NOOP and waits for its reply (which a test holds back to keep the session in flight), then sets VERSIONED_VERSION.</summary>
[AgiHandler("hold", TimeoutSeconds = 300)]
public sealed class HoldHandler(IModuleContext module) : IAgiHandler
{
    /// <inheritdoc/>
    public async Task HandleAsync(IAgiChannel channel, CancellationToken cancellationToken)
    {
        await channel.NoopAsync(cancellationToken);
        await channel.SetVariableAsync("VERSIONED_VERSION", module.Manifest.Version!, cancellationToken);
    }
}
