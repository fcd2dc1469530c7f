using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PbxModules.Host.Configuration;
using PbxModules.Host.HostData;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests;

/// <summary>
/// The module system in-process, on temporary folders: configuration (in memory), the host
/// database and <see cref="ModuleManager"/>, built as the daemon builds them but without the web
/// host. A restart disposes the container and builds a new one on the same folders. Each test
/// copies the modules it needs from the test output's <c>testmodules/</c> folder.
/// </summary>
public sealed class ModuleHostFixture : IAsyncDisposable
{
    /// <summary>The ids of the test modules.</summary>
    public const string GoodId = "test-good";

    private ServiceProvider? _provider;

    public ModuleHostFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "pbxmodules-tests", Guid.NewGuid().ToString("N"));
        ModulesDirectory = Path.Combine(Root, "modules");
        DataDirectory = Path.Combine(Root, "data");
        Directory.CreateDirectory(ModulesDirectory);
        Directory.CreateDirectory(DataDirectory);
        Configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Paths:Data"] = DataDirectory,
                ["Paths:Modules"] = ModulesDirectory,
                ["Paths:AsteriskConfig"] = Path.Combine(Root, "asterisk"),
            })
            .Build();
    }

    /// <summary>Where the build deployed the test modules.</summary>
    public static string DeployedModules => Path.Combine(AppContext.BaseDirectory, "testmodules");

    /// <summary>This fixture's temporary root.</summary>
    public string Root { get; }

    /// <summary>Paths:Modules.</summary>
    public string ModulesDirectory { get; }

    /// <summary>Paths:Data.</summary>
    public string DataDirectory { get; }

    /// <summary>The host configuration; set <c>Modules:&lt;id&gt;:…</c> keys here, also while running.</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>The running manager; only between <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public ModuleManager Manager => _provider?.GetRequiredService<ModuleManager>() ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>The unloaded load contexts the running host has recorded.</summary>
    public UnloadedModuleContexts UnloadedContexts => _provider?.GetRequiredService<UnloadedModuleContexts>() ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>The state store of the running host.</summary>
    public ModuleStateStore Store => _provider?.GetRequiredService<ModuleStateStore>() ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>Every log line the module system wrote (Information and above), across restarts.</summary>
    public Rest.CapturingLoggerProvider Logs { get; } = new();

    /// <summary>More host services (a surface and what it needs) added before the container is built, at every start.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>The running container; only between <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public IServiceProvider Services => _provider ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>Sets one configuration value (null removes it).</summary>
    public void Set(string key, string? value) => Configuration[key] = value;

    /// <summary>
    /// Copies a deployed test module (its folder name, e.g. <c>GoodModule</c>) into the modules
    /// folder, under <paramref name="folderName"/> (default: the same name). Returns the copy's path.
    /// </summary>
    public string AddModule(string deployedName, string? folderName = null)
    {
        var source = Path.Combine(DeployedModules, deployedName);
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"Test module '{deployedName}' was not deployed to '{DeployedModules}'.");
        var target = Path.Combine(ModulesDirectory, folderName ?? deployedName);
        CopyDirectory(source, target);
        return target;
    }

    /// <summary>Rewrites the module.json of a module folder in the modules folder.</summary>
    public void EditManifest(string folderName, Action<JsonObject> edit)
    {
        var path = Path.Combine(ModulesDirectory, folderName, "module.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    /// <summary>Writes a module folder holding only a manifest (and, unless null, a placeholder assembly file).</summary>
    public string WriteManifestOnly(string folderName, string manifestJson, string? assemblyFile = "x.dll")
    {
        var folder = Path.Combine(ModulesDirectory, folderName);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "module.json"), manifestJson);
        if (assemblyFile is not null) File.WriteAllBytes(Path.Combine(folder, assemblyFile), []);
        return folder;
    }

    /// <summary>Builds the container, migrates the host database and starts the module manager.</summary>
    public async Task<ModuleManager> StartAsync()
    {
        if (_provider is not null) throw new InvalidOperationException("Already started.");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs));
        services.AddSingleton<IConfiguration>(Configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<PathsOptions>().Bind(Configuration.GetSection(PathsOptions.SectionName));
        services.AddPbxModules(Configuration);
        ConfigureServices?.Invoke(services);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        await HostDatabase.MigrateAsync(_provider.GetRequiredService<IDbContextFactory<HostDbContext>>(), CancellationToken.None);
        var manager = _provider.GetRequiredService<ModuleManager>();
        await manager.StartAsync(CancellationToken.None);
        return manager;
    }

    /// <summary>Stops the manager and disposes the container, as a daemon shutdown does.</summary>
    public async Task StopAsync()
    {
        var provider = _provider;
        if (provider is null) return;
        _provider = null;
        await provider.GetRequiredService<ModuleManager>().StopAsync(CancellationToken.None);
        await provider.DisposeAsync();
    }

    /// <summary>Stops and starts again on the same folders and database.</summary>
    public async Task<ModuleManager> RestartAsync()
    {
        await StopAsync();
        return await StartAsync();
    }

    /// <summary>One module's state, which must exist.</summary>
    public ModuleInfo Module(string id) => Manager.Registry.GetModule(id) ?? throw new InvalidOperationException($"Module '{id}' is not listed.");

    /// <summary>The data folder the host gives a module.</summary>
    public string ModuleDataDirectory(string id) => Path.Combine(DataDirectory, "modules", id);

    /// <summary>The lifecycle hook calls the good module recorded in its data folder, in order.</summary>
    public IReadOnlyList<string> HookCalls(string? logPath = null)
    {
        var path = logPath ?? Path.Combine(ModuleDataDirectory(GoodId), "hooks.log");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>How many times a hook call was recorded.</summary>
    public int Count(string call, string? logPath = null) => HookCalls(logPath).Count(c => c == call);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearPool(new SqliteConnection(HostDatabase.ConnectionString(DataDirectory)));
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder must not fail a test.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        foreach (var directory in Directory.EnumerateDirectories(source))
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
    }
}
