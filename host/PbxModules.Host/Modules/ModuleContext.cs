using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>The host's <see cref="IModuleContext"/>: identity, folders, settings and logging of one module.</summary>
internal sealed class ModuleContext(ModuleManifest manifest, string moduleDirectory, string dataDirectory, IConfiguration configuration, ILoggerFactory hostLoggerFactory)
    : IModuleContext
{
    public string ModuleId => Manifest.Id!;

    public ModuleManifest Manifest { get; } = manifest;

    public string ModuleDirectory { get; } = moduleDirectory;

    public string DataDirectory { get; } = dataDirectory;

    public IConfiguration Configuration { get; } = configuration;

    public ILoggerFactory LoggerFactory { get; } = new ModuleLoggerFactory(hostLoggerFactory, manifest.Id!);
}

/// <summary>
/// Prefixes log categories with the module id, so the journal says which module wrote a line.
/// Disposing it does nothing: the host owns the providers.
/// </summary>
internal sealed class ModuleLoggerFactory(ILoggerFactory inner, string moduleId) : ILoggerFactory
{
    // Framework categories (EF Core, ASP.NET Core, System.*) keep their names, so that the host's
    // log-level filters ("Microsoft.EntityFrameworkCore": "Warning") apply to them inside modules too;
    // otherwise every SQL command a module runs would be logged at Information.
    public ILogger CreateLogger(string categoryName)
        => inner.CreateLogger(categoryName.StartsWith("Microsoft.", StringComparison.Ordinal) || categoryName.StartsWith("System.", StringComparison.Ordinal)
            ? categoryName
            : $"Module.{moduleId}.{categoryName}");

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("Modules cannot add logging providers; the host configures logging.");

    public void Dispose()
    {
    }
}

/// <summary>What a lifecycle hook receives.</summary>
internal sealed class ModuleLifecycleContext(IModuleContext module, IServiceProvider services, ILogger logger) : IModuleLifecycleContext
{
    public IModuleContext Module { get; } = module;

    public IServiceProvider Services { get; } = services;

    public ILogger Logger { get; } = logger;
}
