using System.Reflection;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PbxModules.Host.ModuleData;
using PbxModules.Host.Text;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Modules;

/// <summary>
/// Loads one module: an unloadable plugin load context (McMaster.NETCore.Plugins) that shares
/// <see cref="SharedTypes"/> with the host, the module's single <see cref="IPbxModule"/>, and the
/// module's own service container built from its <c>ConfigureServices</c>. Every failure becomes a
/// <see cref="ModuleLoadException"/> that says what went wrong and what to do.
/// </summary>
public sealed class ModuleLoader(
    IConfiguration configuration,
    ILoggerFactory loggerFactory,
    ModuleDataPaths paths,
    IEnumerable<IModuleServicesProvider> hostServices,
    TimeProvider time,
    ModuleLoaderOptions options)
{
    /// <summary>Loads the module in <paramref name="folder"/> described by a valid manifest.</summary>
    /// <exception cref="ModuleLoadException">The module cannot be loaded; nothing of it stays loaded.</exception>
    public LoadedModule Load(ModuleManifest manifest, string folder)
    {
        var assemblyPath = Path.Combine(folder, manifest.Assembly!);
        PluginLoader loader;
        // The module's own assembly, when it is to be the default context's (ModuleLoaderOptions.ShareModuleAssemblies).
        AssemblyName? shared = null;
        try
        {
            if (options.ShareModuleAssemblies) shared = AssemblyName.GetAssemblyName(assemblyPath);
            // In memory, not mapped from the file: the runtime caches a file's image by its path for as long
            // as any load context holding it lives, and an upgraded module's new assembly sits at the very path
            // of the old one (whose context may live on, e.g. held by ASP.NET Core's caches): loaded from the
            // path, the "new" version would run the old code.
            loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, isUnloadable: true, sharedTypes: SharedTypes.All, configure: config =>
            {
                config.LoadInMemory = true;
                if (shared is not null) config.SharedAssemblies.Add(shared);
            });
        }
        catch (Exception ex)
        {
            throw new ModuleLoadException($"Cannot prepare '{assemblyPath}' for loading: {ex.Message}", ex);
        }

        try
        {
            return LoadCore(manifest, folder, loader, shared);
        }
        catch
        {
            loader.Dispose();
            throw;
        }
    }

    private LoadedModule LoadCore(ModuleManifest manifest, string folder, PluginLoader loader, AssemblyName? shared)
    {
        Assembly assembly;
        Type[] types;
        try
        {
            // LoadDefaultAssembly reads the file into the module's context whatever is shared; by name, a shared
            // module assembly is the default context's (ModuleLoaderOptions.ShareModuleAssemblies).
            assembly = shared is not null ? loader.LoadAssembly(shared) : loader.LoadDefaultAssembly();
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
            throw new ModuleLoadException(Sentences.Join($"Types of '{manifest.Assembly}' could not be loaded: {first?.Message ?? ex.Message}", "Check that the module folder holds all its dependencies."), ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or TypeLoadException)
        {
            throw new ModuleLoadException(Sentences.Join($"'{manifest.Assembly}' could not be loaded: {ex.Message}", $"Reinstall the module, or rebuild it against SDK {Sdk.SdkInfo.Version}."), ex);
        }

        var entryTypes = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPbxModule).IsAssignableFrom(t)).ToList();
        if (entryTypes.Count == 0)
        {
            var privateSdk = types.Any(t => t.GetInterfaces().Any(i => i.FullName == typeof(IPbxModule).FullName));
            throw new ModuleLoadException(privateSdk
                ? $"'{manifest.Assembly}' implements IPbxModule from a private copy of the SDK. Remove PbxModules.Sdk.dll from the module folder: the host shares its own."
                : $"'{manifest.Assembly}' has no public class implementing {typeof(IPbxModule).FullName}. Add one (the module's entry point).");
        }
        if (entryTypes.Count > 1)
            throw new ModuleLoadException($"'{manifest.Assembly}' has {entryTypes.Count} classes implementing IPbxModule ({string.Join(", ", entryTypes.Select(t => t.FullName))}); keep exactly one.");

        IPbxModule entryPoint;
        try
        {
            entryPoint = (IPbxModule)Activator.CreateInstance(entryTypes[0])!;
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } i } ? i : ex;
            throw new ModuleLoadException($"The constructor of {entryTypes[0].FullName} failed: {inner.Message}", inner);
        }

        var dataDirectory = paths.DataDirectory(manifest.Id!);
        Directory.CreateDirectory(dataDirectory);
        var context = new ModuleContext(manifest, folder, dataDirectory, configuration.GetSection($"Modules:{manifest.Id}"), loggerFactory);

        var services = new ServiceCollection();
        services.AddSingleton<IModuleContext>(context);
        services.AddSingleton(context.LoggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(context.Configuration);
        // The host's clock, so that a test's fake clock reaches the module.
        services.AddSingleton(time);
        services.AddOptions();
        foreach (var provider in hostServices) provider.AddServices(services, context);

        try
        {
            entryPoint.ConfigureServices(services, context);
        }
        catch (Exception ex)
        {
            throw new ModuleLoadException($"{entryTypes[0].Name}.ConfigureServices threw {ex.GetType().Name}: {ex.Message}", ex);
        }

        var contributions = services.GetContributions();
        ServiceProvider container;
        try
        {
            container = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        }
        catch (Exception ex)
        {
            throw new ModuleLoadException($"The module's services are inconsistent: {ex.Message}", ex);
        }

        try
        {
            // Settings registered with ValidateOnStart are checked now, not at first use on a call.
            container.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex)
        {
            container.Dispose();
            throw new ModuleLoadException(Sentences.Join($"The module's settings are invalid: {ex.Message}", $"Fix them in configuration section 'Modules:{manifest.Id}'."), ex);
        }

        var loadContext = new WeakReference(AssemblyLoadContext.GetLoadContext(assembly));
        return new LoadedModule(loader, loadContext, entryPoint, container, context, contributions);
    }
}
