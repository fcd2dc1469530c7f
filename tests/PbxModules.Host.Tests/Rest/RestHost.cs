using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Time.Testing;
using PbxModules.Host.HostData;
using PbxModules.Host.Modules;

namespace PbxModules.Host.Tests.Rest;

/// <summary>
/// The whole daemon (its real Program) on real Kestrel on a free loopback port, with temporary
/// data and modules folders, the REST test module installed, and a <see cref="FakeTimeProvider"/>
/// as the host's clock so token expiry is tested without waiting.
/// </summary>
public sealed class RestHost : IAsyncDisposable
{
    /// <summary>The REST test module's id.</summary>
    public const string ModuleId = "test-rest";

    /// <summary>The administrator password the host is configured with.</summary>
    public const string AdminPassword = "correct horse battery staple";

    private readonly Factory _factory;

    private RestHost(Factory factory, string root, int port, int agiPort, FakeTimeProvider time)
    {
        _factory = factory;
        Root = root;
        Port = port;
        AgiPort = agiPort;
        Time = time;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>The temporary root (data/, modules/).</summary>
    public string Root { get; }

    public int Port { get; }

    /// <summary>The daemon's FastAGI listener (a free port of its own, so that hosts can run side by side).</summary>
    public int AgiPort { get; }

    /// <summary>Every log line the daemon wrote, formatted.</summary>
    public IReadOnlyList<string> Logs => _factory.Logs.Lines;

    /// <summary>The host's clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>A client of the real listener, without credentials.</summary>
    public HttpClient Http { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public IServiceProvider Services => _factory.Services;

    public ModuleManager Manager => Services.GetRequiredService<ModuleManager>();

    /// <summary>Starts the daemon; <paramref name="settings"/> override the defaults (TrustLoopback false, admin password set).</summary>
    /// <param name="arrangeModules">Runs on the modules folder after the modules are copied, before the daemon starts (e.g. to break one).</param>
    /// <param name="configureServices">Adds or replaces services after the daemon's own (e.g. what another folder provides).</param>
    public static async Task<RestHost> StartAsync(bool trustLoopback = false, IDictionary<string, string?>? settings = null, bool withAdminPassword = true, bool requireModuleEnabled = true, Action<string>? arrangeModules = null, Action<IServiceCollection>? configureServices = null, params string[] extraModules)
    {
        var root = Path.Combine(Path.GetTempPath(), "pbxmodules-rest-tests", Guid.NewGuid().ToString("N"));
        var modules = Path.Combine(root, "modules");
        Directory.CreateDirectory(modules);
        foreach (var module in extraModules.Prepend("RestModule"))
            CopyDirectory(Path.Combine(AppContext.BaseDirectory, "testmodules", module), Path.Combine(modules, module));
        arrangeModules?.Invoke(modules);

        // Free ports are found by binding port 0 and letting go, so another test's listener can take one
        // before this host binds it: a bind that loses that race picks new ports (a few times at most).
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var agiPort = FreePort();
            var all = new Dictionary<string, string?>
            {
                ["Rest:Url"] = $"http://127.0.0.1:{port}",
                ["Agi:Port"] = agiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Rest:TrustLoopback"] = trustLoopback ? "true" : "false",
                ["Rest:AdminPassword"] = withAdminPassword ? AdminPassword : null,
                ["Paths:Data"] = Path.Combine(root, "data"),
                ["Paths:Modules"] = modules,
                ["Paths:AsteriskConfig"] = Path.Combine(root, "asterisk"),
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;

            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
            var factory = new Factory(all, time, configureServices);
            // Not UseKestrel(port): that makes Kestrel prefer a hosting URL and drop the daemon's own
            // endpoints, the FastAGI listener among them. Program listens on Rest:Url and Agi:Port itself.
            factory.UseKestrel(static _ => { });
            try
            {
                factory.StartServer();
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                await factory.DisposeAsync();
                continue;
            }
            var host = new RestHost(factory, root, port, agiPort, time);
            if (requireModuleEnabled) await host.WaitForModuleAsync();
            return host;
        }
    }

    /// <summary>Logs in as the administrator; returns the token answer's <c>data</c>.</summary>
    public Task<JsonElement> LoginAsync(string user = "admin", string password = AdminPassword) => PostDataAsync("/pbxcore/api/v3/auth:login", new { username = user, password });

    /// <summary>A client that sends <paramref name="accessToken"/> as bearer.</summary>
    public HttpClient WithBearer(string accessToken)
    {
        var client = new HttpClient { BaseAddress = Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>A client that sends <paramref name="key"/> in <c>X-Api-Key</c>.</summary>
    public HttpClient WithApiKey(string key)
    {
        var client = new HttpClient { BaseAddress = Http.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>
    /// A client whose connections come from <paramref name="localAddress"/> (any 127.0.0.x: all of
    /// 127/8 is loopback on Linux), so tests can play several client addresses.
    /// </summary>
    public HttpClient ClientFrom(string localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Http.BaseAddress };
    }

    /// <summary>The REST API's Unix socket (the default: <c>data/pbx-modules.sock</c>).</summary>
    public string SocketPath => Path.Combine(DataDirectory, Host.Rest.UnixSocket.RestUnixSocket.DefaultFileName);

    /// <summary>A client whose connections go to the Unix socket at <paramref name="path"/> (<see cref="SocketPath"/> by default), without credentials.</summary>
    public HttpClient UnixSocketClient(string? path = null) => Sdk.Testing.Daemon.UnixSocketHttp.CreateClient(path ?? SocketPath);

    /// <summary>An administrator client (fresh login).</summary>
    public async Task<HttpClient> AdminAsync() => WithBearer((await LoginAsync()).GetProperty("accessToken").GetString()!);

    /// <summary>Parses a response body.</summary>
    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"HTTP {(int)response.StatusCode} with an empty body");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> PostDataAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var json = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: HTTP {(int)response.StatusCode} {json}");
        return json.GetProperty("data");
    }

    private async Task WaitForModuleAsync()
    {
        // Hosted services have started when StartServer returns; the module is enabled by then.
        var module = Manager.Registry.GetModule(ModuleId);
        Assert.True(module?.State == ModuleState.Enabled, $"{ModuleId} is {module?.State}: {module?.FailureReason}");
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Copies a folder, subfolders included (a deployed test module).</summary>
    internal static void CopyDirectory(string source, string target)
    {
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"Test module not deployed: {source}");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private sealed class Factory(IDictionary<string, string?> settings, FakeTimeProvider time, Action<IServiceCollection>? configureServices) : WebApplicationFactory<Program>
    {
        public CapturingLoggerProvider Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                services.AddSingleton<TimeProvider>(time);
                // Outside systemd nothing registers a notifier; the daemon's watchdog asks for one.
                services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
                configureServices?.Invoke(services);
            });
        }
    }
}

/// <summary>Keeps every log line (message and exception) so tests can check what was, and was not, logged.</summary>
public sealed class CapturingLoggerProvider : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
