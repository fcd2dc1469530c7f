using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;
using TestPrivateDep;

namespace TestModules.UsesDepV1;

/// <summary>Registers a dialplan contributor that reports which TestPrivateDep it sees.</summary>
public sealed class UsesDepMain : IPbxModule
{
    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
        => services.AddDialplanContributor<DepVersionDialplan>();
}

/// <summary>Sets globals DEP_VERSION (what the dependency says) and DEP_ASSEMBLY_VERSION (what the runtime loaded).</summary>
public sealed class DepVersionDialplan : IDialplanContributor
{
    /// <inheritdoc/>
    public ValueTask ContributeAsync(DialplanBuilder dialplan, CancellationToken cancellationToken)
    {
        dialplan.SetGlobal("DEP_VERSION", DepInfo.Version);
        dialplan.SetGlobal("DEP_ASSEMBLY_VERSION", typeof(DepInfo).Assembly.GetName().Version?.ToString() ?? "none");
        return ValueTask.CompletedTask;
    }
}
