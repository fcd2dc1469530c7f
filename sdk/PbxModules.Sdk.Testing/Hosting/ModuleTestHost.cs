using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PbxModules.Host.Auth;
using PbxModules.Host.Dialplan;
using PbxModules.Host.Hosting;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;

namespace PbxModules.Sdk.Testing.Hosting;

/// <summary>
/// The real host in this process, with the modules of <see cref="ModuleTestHostOptions.ModulesFolder"/> loaded by its
/// real loader and their real <c>ConfigureServices</c>: in Production (real authentication, loopback not trusted), on free
/// loopback ports, its data in a temporary folder, connected and logged in to a <see cref="SimulatedAmiServer"/>.
/// Drive a module through its surfaces: <see cref="PlaceCallAsync"/>, <see cref="RaiseAmiEventAsync"/>, <see cref="Rest"/>,
/// <see cref="ReadDialplanAsync"/>.
/// </summary>
/// <example>
/// <code>
/// await using var host = await ModuleTestHost.StartAsync();
/// await using var call = await host.PlaceCallAsync("module-foo/hello", o => o.CallerId = "100");
/// await call.Completion;
/// var list = await host.Rest.GetAsync("pbxcore/api/v3/module-foo/greetings");
/// </code>
/// </example>
public sealed partial class ModuleTestHost : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private readonly WebApplication _app;
    private readonly TestHostLog _log;
    private readonly TimeSpan _waitTimeout;
    private bool _disposed;

    private ModuleTestHost(WebApplication app, TestHostLog log, SimulatedAmiServer asterisk, string root, int restPort, int agiPort, string apiKey, TimeSpan waitTimeout)
    {
        _app = app;
        _log = log;
        _waitTimeout = waitTimeout;
        Asterisk = asterisk;
        DataFolder = root;
        RestPort = restPort;
        AgiPort = agiPort;
        Rest = CreateClient(apiKey);
    }

    /// <summary>The simulated Asterisk the host is connected and logged in to (AMI).</summary>
    public SimulatedAmiServer Asterisk { get; }

    /// <summary>
    /// A client of the host's REST listener (<c>http://127.0.0.1:&lt;port&gt;/</c>), authorised as an administrator by an
    /// API key created through the host's own key store (stored hashed, as every key).
    /// </summary>
    public HttpClient Rest { get; }

    /// <summary>The REST port on 127.0.0.1.</summary>
    public int RestPort { get; }

    /// <summary>The FastAGI port on 127.0.0.1.</summary>
    public int AgiPort { get; }

    /// <summary>The temporary folder of the host's data (databases, keys, module data) and Asterisk configuration; deleted on dispose.</summary>
    public string DataFolder { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Every line logged so far by the host and its modules, as <c>Category: message</c>.</summary>
    public IReadOnlyList<string> Logs => _log.Lines;

    /// <summary>
    /// Starts the host with the modules of <see cref="ModuleTestHostOptions.ModulesFolder"/>, and returns once every one of
    /// them is enabled, the host is logged in to the simulated Asterisk and has had it reload the dialplan it wrote.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">There is no modules folder (no <c>&lt;PbxModule&gt;</c> deployed one).</exception>
    /// <exception cref="InvalidOperationException">A module is not enabled (the message gives the host's reason), or there is none.</exception>
    /// <exception cref="TimeoutException">The start took longer than <see cref="ModuleTestHostOptions.StartTimeout"/>.</exception>
    public static async Task<ModuleTestHost> StartAsync(ModuleTestHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ModuleTestHostOptions();
        if (!Directory.Exists(options.ModulesFolder))
            throw new DirectoryNotFoundException($"The modules folder {options.ModulesFolder} does not exist: add <PbxModule Include=\"path/to/YourModule.csproj\" /> to the test project (it deploys the module there), or set ModulesFolder.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.StartTimeout);
        var root = Directory.CreateTempSubdirectory("pbxmodules-testhost-").FullName;
        var asterisk = new SimulatedAmiServer();
        try
        {
            await asterisk.StartAsync(deadline.Token).ConfigureAwait(false);
            return await StartHostAsync(options, root, asterisk, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await asterisk.DisposeAsync().ConfigureAwait(false);
            DeleteFolder(root);
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"The test host did not start within {options.StartTimeout}.", ex);
            throw;
        }
    }

    private static async Task<ModuleTestHost> StartHostAsync(ModuleTestHostOptions options, string root, SimulatedAmiServer asterisk, CancellationToken cancellationToken)
    {
        // Free ports are found by binding port 0 and letting go (the dialplan must name the FastAGI port before it is
        // bound), so another process can take one first: a start that loses that race picks new ports.
        for (var attempt = 1; ; attempt++)
        {
            var restPort = PbxDaemon.FreePort();
            var agiPort = PbxDaemon.FreePort();
            var log = new TestHostLog();
            var app = Build(options, root, asterisk, restPort, agiPort, log);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException && attempt < StartAttempts)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            catch
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            try
            {
                EnsureModulesEnabled(app.Services, options.ModulesFolder);
                await asterisk.WaitForLoggedInClientsAsync(1, cancellationToken).ConfigureAwait(false);
                // The dialplan is written at the start (the data folder is new, so it always changes) and Asterisk told to
                // reload it, at once or as soon as AMI is up: waited for, so that a test counts only the reloads it caused.
                await asterisk.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload", cancellationToken).ConfigureAwait(false);
                var (_, key) = await app.Services.GetRequiredService<ApiKeyService>()
                    .CreateAsync("module-test-host", [Permissions.AdminRole], [], expiresAt: null, createdBy: nameof(ModuleTestHost), cancellationToken).ConfigureAwait(false);
                return new ModuleTestHost(app, log, asterisk, root, restPort, agiPort, key, options.WaitTimeout);
            }
            catch
            {
                await StopAsync(app).ConfigureAwait(false);
                throw;
            }
        }
    }

    private static WebApplication Build(ModuleTestHostOptions options, string root, SimulatedAmiServer asterisk, int restPort, int agiPort, TestHostLog log)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Paths:Data"] = Path.Combine(root, "data"),
            ["Paths:Modules"] = options.ModulesFolder,
            ["Paths:AsteriskConfig"] = Path.Combine(root, "asterisk"),
            ["Rest:Url"] = $"http://127.0.0.1:{restPort}",
            ["Rest:TrustLoopback"] = "false",
            // No Unix socket: its callers are administrators without a key, and tests of authorisation must not have one.
            ["Rest:UnixSocket"] = "",
            ["Agi:Address"] = "127.0.0.1",
            ["Agi:Port"] = agiPort.ToString(CultureInfo.InvariantCulture),
            ["Ami:Transport"] = "Tcp",
            ["Ami:Host"] = "127.0.0.1",
            ["Ami:Port"] = asterisk.Port.ToString(CultureInfo.InvariantCulture),
            ["Ami:Username"] = asterisk.Options.Username,
            ["Ami:Secret"] = asterisk.Options.Secret,
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:Quartz"] = "Warning",
            // As the daemon's appsettings.json: the keys are in the data folder, unencrypted there on purpose.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager"] = "Error",
        };
        // A test's clock moves by jumps: one past the AMI keep-alive would find its Ping unanswered and drop the connection
        // (whose reconnect then waits on that clock too). The simulated Asterisk never goes silent unless told to.
        if (options.Time is not null) settings["Ami:KeepAliveInterval"] = "00:00:00";
        foreach (var (key, value) in options.Settings) settings[key] = value;

        // The content root is the temporary folder: no appsettings*.json of whatever the test's output holds is read.
        var builder = PbxHost.CreateBuilder(new PbxHostBuildOptions { ContentRootPath = root, EnvironmentName = "Production", Settings = settings });
        builder.Logging.ClearProviders().AddProvider(log);
        foreach (var provider in options.LoggerProviders) builder.Logging.AddProvider(provider);
        if (options.Time is { } time) builder.Services.Replace(ServiceDescriptor.Singleton(time));
        if (options.ShareModuleAssemblies) builder.Services.Replace(ServiceDescriptor.Singleton(new ModuleLoaderOptions { ShareModuleAssemblies = true }));
        return PbxHost.Build(builder);
    }

    private static void EnsureModulesEnabled(IServiceProvider services, string modulesFolder)
    {
        var modules = services.GetRequiredService<IModuleRegistry>().GetModules();
        if (modules.Count == 0)
            throw new InvalidOperationException($"The host found no module in {modulesFolder}: each module is a sub-folder with its module.json (what <PbxModule Include=\"…\" /> deploys).");
        var notEnabled = modules.Where(m => m.State != ModuleState.Enabled).ToList();
        if (notEnabled.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, notEnabled.Select(m => $"Module '{m.Id}' ({m.Folder}) is {m.State}: {m.FailureReason ?? "no reason given"}")));
    }

    /// <summary>A client of the REST listener that sends <paramref name="apiKey"/> in <c>X-Api-Key</c>; without credentials when null (for 401 tests).</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{RestPort}/") };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>The container of the enabled module <paramref name="moduleId"/>, built by its own <c>ConfigureServices</c>.</summary>
    /// <exception cref="ArgumentException">No module of that id is enabled (the message names those that are).</exception>
    public IServiceProvider ModuleServices(string moduleId)
    {
        var enabled = Services.GetRequiredService<IModuleRegistry>().EnabledModules;
        return enabled.FirstOrDefault(m => m.Id == moduleId)?.Services
            ?? throw new ArgumentException($"No module '{moduleId}' is enabled; enabled: {(enabled.Count == 0 ? "none" : string.Join(", ", enabled.Select(m => m.Id)))}.", nameof(moduleId));
    }

    /// <summary>
    /// Places a simulated call into the host's FastAGI listener, as <c>AGI(agi://127.0.0.1:port/route)</c> does; the call
    /// runs on (await its <see cref="SimulatedAgiCall.Completion"/>).
    /// </summary>
    /// <param name="route"><c>&lt;module-id&gt;/&lt;handler&gt;</c>.</param>
    /// <param name="configure">Sets the rest of the call (caller id, arguments, channel, answers to commands…).</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    public Task<SimulatedAgiCall> PlaceCallAsync(string route, Action<SimulatedAgiCallOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(route);
        var options = new SimulatedAgiCallOptions { Script = route };
        configure?.Invoke(options);
        return SimulatedAgiCall.ConnectAsync(AgiPort, options, cancellationToken);
    }

    /// <summary>The <c>extensions_modules.conf</c> the host composed from the enabled modules' dialplan hooks.</summary>
    public Task<string> ReadDialplanAsync(CancellationToken cancellationToken = default)
        => File.ReadAllTextAsync(Services.GetRequiredService<DialplanService>().FilePath, cancellationToken);

    /// <summary>Waits until a logged line contains <paramref name="text"/> (at once if one does); fails after the timeout (default <see cref="ModuleTestHostOptions.WaitTimeout"/>), quoting the log.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var patience = timeout ?? _waitTimeout;
        try
        {
            await _log.SeenAsync(text).WaitAsync(patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No line containing '{text}' was logged within {patience}:{Environment.NewLine}{string.Join(Environment.NewLine, Logs)}");
        }
    }

    /// <summary>Stops the host (modules drained and stopped), the simulated Asterisk, and deletes <see cref="DataFolder"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Rest.Dispose();
        try
        {
            await StopAsync(_app).ConfigureAwait(false);
        }
        finally
        {
            await Asterisk.DisposeAsync().ConfigureAwait(false);
            DeleteFolder(DataFolder);
        }
    }

    private static async Task StopAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
