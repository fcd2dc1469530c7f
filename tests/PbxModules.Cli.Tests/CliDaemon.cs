using System.Reflection;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.Cli.Tests;

/// <summary>
/// One real daemon for the CLI tests (a process, from its build output, in Development), with
/// ModuleBlackList installed in its own modules folder and a simulated Asterisk on its AMI port; the CLI
/// reaches it over its default Unix socket under the daemon's working directory.
/// </summary>
public class CliDaemon : IAsyncLifetime
{
    public const string ModuleId = "module-black-list";

    private const string AmiSecret = "admin-secret";

    private SimulatedAmiServer? _asterisk;
    private PbxDaemon? _daemon;

    /// <summary>The daemon assembly the build embedded in this test assembly.</summary>
    public static string DaemonAssemblyPath => typeof(CliDaemon).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PbxModulesDaemonPath").Value!;

    public PbxDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public SimulatedAmiServer Asterisk => _asterisk ?? throw new InvalidOperationException("Not started.");

    /// <summary>The daemon's REST socket: its default, <c>./var/data/pbx-modules.sock</c> under its working directory.</summary>
    public string Socket => Path.Combine(Daemon.Root, "var", "data", "pbx-modules.sock");

    /// <summary>The daemon's REST API over TCP.</summary>
    public string Url => $"http://127.0.0.1:{Daemon.RestPort}";

    /// <summary>Runs the CLI against this daemon's socket.</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(null, [.. args, "--socket", Socket]);

    /// <summary>A client of the daemon's socket, for arranging what the CLI then shows.</summary>
    public HttpClient SocketClient() => UnixSocketHttp.CreateClient(Socket);

    /// <summary>The daemon's own data folder (<c>Paths:Data</c>, its default <c>./var/data</c>).</summary>
    public string DataFolder => Path.Combine(Daemon.Root, "var", "data");

    /// <summary>Settings of the daemon beyond the AMI secret, for a fixture that needs others (e.g. <c>Modules:TrustedSigners</c>).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> MoreSettings => [];

    /// <summary>Runs before the daemon starts, on its working directory (e.g. to fill its feed folder).</summary>
    protected virtual Task ArrangeAsync(string root) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var root = Directory.CreateTempSubdirectory("pbxmodules-cli-").FullName;
        var modules = Path.Combine(root, "modules");
        // This test project's own deployment of ModuleBlackList, not the host's output (a concurrent build may be rewriting that).
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "testmodules", "ModuleBlackList"), Path.Combine(modules, "ModuleBlackList"));
        await ArrangeAsync(root);
        var settings = new Dictionary<string, string>(MoreSettings) { ["Ami:Secret"] = AmiSecret };
        _asterisk = new SimulatedAmiServer();
        await _asterisk.StartAsync();
        _daemon = await PbxDaemon.StartAsync(new PbxDaemonOptions
        {
            DaemonPath = DaemonAssemblyPath,
            Root = root,
            ModulesFolder = modules,
            AmiPort = _asterisk.Port,
            Settings = settings,
            // A deadline, not a measure: other builds share the 2 cores.
            StartTimeout = TimeSpan.FromSeconds(180),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _asterisk.WaitForLoggedInClientsAsync(1, timeout.Token);
    }

    public virtual async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        if (_asterisk is not null) await _asterisk.DisposeAsync();
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>The tests that share <see cref="CliDaemon"/>: they run one after another, so a disable in one is never seen by another.</summary>
[CollectionDefinition(Name)]
public sealed class CliDaemonCollection : ICollectionFixture<CliDaemon>
{
    public const string Name = "CLI against one daemon";
}
