using Microsoft.Extensions.DependencyInjection;
using PbxModules.Sdk.Modules;

namespace TestModules.Throwing;

/// <summary>Fails while registering its services.</summary>
public sealed class ThrowingMain : IPbxModule
{
    /// <summary>The message of the exception it throws.</summary>
    public const string Message = "test-throws refuses to configure its services";

    /// <inheritdoc/>
    public void ConfigureServices(IServiceCollection services, IModuleContext context)
        => throw new InvalidOperationException(Message);
}
