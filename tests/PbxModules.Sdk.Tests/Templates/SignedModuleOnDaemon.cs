using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PbxModules.Sdk.Testing.Ami;
using PbxModules.Sdk.Testing.Daemon;
using PbxModules.Sdk.Testing.Packages;
using PbxModules.Sdk.Tests.Packaging;

namespace PbxModules.Sdk.Tests.Templates;

/// <summary>
/// The last steps of a module's way to a PBX: its package signed with <c>dotnet nuget sign</c> by a vendor
/// certificate, then installed with the CLI (<c>pbx-modules module install</c>, in process) into the real
/// daemon (a process, from this build's output) that trusts that certificate, with a simulated Asterisk on its
/// AMI port; and uninstalled the same way.
/// </summary>
internal sealed class SignedModuleOnDaemon : IAsyncDisposable
{
    private const string Password = "template-test";

    private readonly X509Certificate2 _vendor = SigningCertificates.CreateSelfSigned("CN=PbxModules template test vendor");
    private readonly string _root;
    private SimulatedAmiServer? _asterisk;
    private PbxDaemon? _daemon;

    public SignedModuleOnDaemon(string root) => _root = Directory.CreateDirectory(root).FullName;

    public PbxDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    /// <summary>The daemon's REST socket (its default under its working directory), which the CLI uses.</summary>
    public string Socket => Path.Combine(Daemon.Root, "var", "data", "pbx-modules.sock");

    /// <summary>Signs <paramref name="nupkg"/> in place as its author would; returns the CLI's output.</summary>
    public async Task<string> SignAsync(string nupkg)
    {
        var pfx = Path.Combine(_root, "vendor.pfx");
        await File.WriteAllBytesAsync(pfx, _vendor.Export(X509ContentType.Pkcs12, Password));
        var sign = await DotnetCli.RunAsync(_root, null, "nuget", "sign", nupkg, "--certificate-path", pfx, "--certificate-password", Password, "--overwrite");
        Assert.True(sign.ExitCode == 0, $"dotnet nuget sign failed:\n{sign.Output}");
        return sign.Output;
    }

    /// <summary>Starts the simulated Asterisk and the daemon, trusting the vendor, with no module installed.</summary>
    public async Task StartAsync()
    {
        _asterisk = new SimulatedAmiServer();
        await _asterisk.StartAsync();
        var root = Directory.CreateDirectory(Path.Combine(_root, "pbx")).FullName;
        _daemon = await PbxDaemon.StartAsync(new PbxDaemonOptions
        {
            DaemonPath = DaemonAssemblyPath,
            Root = root,
            ModulesFolder = Directory.CreateDirectory(Path.Combine(root, "modules")).FullName,
            AmiPort = _asterisk.Port,
            Settings = new Dictionary<string, string>
            {
                ["Ami:Secret"] = _asterisk.Options.Secret,
                ["Modules:TrustedSigners:0"] = SigningCertificates.Sha256Fingerprint(_vendor),
            },
            // A deadline, not a measure: other builds share the 2 cores.
            StartTimeout = TimeSpan.FromSeconds(180),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await _asterisk.WaitForLoggedInClientsAsync(1, timeout.Token);
    }

    /// <summary>Runs <c>pbx-modules</c> against the daemon's socket; fails the test on a non-zero exit.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.Cli.RunAsync([.. args, "--socket", Socket], output, error);
        Assert.True(code == 0, $"pbx-modules {string.Join(' ', args)}: exit {code}\n{output}\n{error}");
        return output.ToString();
    }

    /// <summary>POSTs to the module's REST resource over the daemon's socket (the local administrator's way in).</summary>
    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var client = UnixSocketHttp.CreateClient(Socket);
        using var response = await client.PostAsJsonAsync(path, body);
        var json = (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json;
    }

    /// <summary><c>pbx-modules agi call</c> of a route on the daemon's FastAGI port; the call's variables.</summary>
    public async Task<JsonElement> CallAsync(string route, string callerId)
    {
        var output = await CliAsync("agi", "call", route, "--callerid", callerId, "--port", Daemon.AgiPort.ToString(CultureInfo.InvariantCulture), "--json");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("variables").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        if (_asterisk is not null) await _asterisk.DisposeAsync();
        _vendor.Dispose();
    }

    /// <summary>The daemon this build made (the project reference builds it first).</summary>
    private static string DaemonAssemblyPath
        => Path.Combine(Repository.Root, "host", "PbxModules.Host", "bin", SdkPackagesFixture.Configuration, "net10.0", "PbxModules.Host.dll");
}
