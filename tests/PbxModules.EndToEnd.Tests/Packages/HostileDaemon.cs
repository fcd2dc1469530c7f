using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PbxModules.Sdk.Testing.Agi;
using PbxModules.Sdk.Testing.Daemon;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// One real daemon (Development, as README starts it) with ModuleBlackList installed, small package limits
/// and one trusted vendor certificate, for uploads crafted to be refused; and what a refusal must leave
/// untouched: the files of its modules folder and data folder, and its module list.
/// </summary>
public sealed class HostileDaemon : IAsyncLifetime
{
    public const long MaxPackageBytes = 256 * 1024;
    public const long MaxExpandedBytes = 1024 * 1024;
    public const string InstallPath = "/pbxcore/api/v3/modules:install";
    public const string HostileId = "test-hostile";

    private PbxDaemon? _daemon;
    private int _callers;

    public X509Certificate2 Vendor { get; } = SigningCertificates.CreateSelfSigned("CN=PbxModules hostile tests vendor");

    public X509Certificate2 Stranger { get; } = SigningCertificates.CreateSelfSigned("CN=Nobody this host trusts");

    public PbxDaemon Daemon => _daemon ?? throw new InvalidOperationException("Not started.");

    public string Root { get; } = Directory.CreateTempSubdirectory("pbxmodules-e2e-hostile-").FullName;

    public string ModulesFolder => Path.Combine(Root, "modules");

    public string DataFolder => Path.Combine(Root, "var", "data");

    /// <summary>A module folder that passes every check but the ones a test breaks: module.json and an assembly (never loaded: every package here is refused first).</summary>
    public string ModuleSource => Path.Combine(Root, "source", "HostileModule");

    public async Task InitializeAsync()
    {
        ModuleFolders.Install(Root);
        Directory.CreateDirectory(ModuleSource);
        await File.WriteAllTextAsync(Path.Combine(ModuleSource, "module.json"), $$"""
            { "id": "{{HostileId}}", "name": "HostileModule", "version": "1.0.0", "sdk": "^1.0.0", "assembly": "HostileModule.dll",
              "description": "Packages crafted to be refused.", "developer": "PbxModules tests", "supportEmail": "tests@pbxmodules.example", "dependsOn": {} }
            """);
        await File.WriteAllBytesAsync(Path.Combine(ModuleSource, "HostileModule.dll"), RandomNumberGenerator.GetBytes(2048));
        _daemon = await TestDaemon.StartAsync(Root, new Dictionary<string, string>
        {
            ["Paths:Modules"] = ModulesFolder,
            ["Modules:TrustedSigners:0"] = SigningCertificates.Sha256Fingerprint(Vendor),
            ["Modules:MaxPackageBytes"] = MaxPackageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Modules:MaxExpandedBytes"] = MaxExpandedBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        Vendor.Dispose();
        Stranger.Dispose();
    }

    /// <summary>A package of <see cref="ModuleSource"/>, to break further.</summary>
    public ModulePackageBuilder Package() => ModulePackageBuilder.FromModuleFolder(ModuleSource);

    /// <summary>Where a test writes the package it uploads (outside the daemon's folders).</summary>
    public string Upload(string name) => Path.Combine(Root, "uploads", name + ".nupkg");

    /// <summary>Uploads <paramref name="bytes"/> as the form's package field.</summary>
    public async Task<(int Status, JsonElement Envelope)> InstallAsync(byte[] bytes, string fileName = "module.nupkg")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "package", fileName);
        return await PostAsync(form);
    }

    public async Task<(int Status, JsonElement Envelope)> PostAsync(HttpContent content)
    {
        using var response = await Daemon.Http.PostAsync(InstallPath, content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return ((int)response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>
    /// Every folder and file under the modules folder and the data folder (journal, packages/incoming,
    /// downloads, the feed, modules' data, the .staging and .backup folders among them), each file with its
    /// length and SHA-256; SQLite's files by name only, as the database's own pages change with any request.
    /// </summary>
    public string DiskSnapshot()
    {
        var lines = new List<string>();
        foreach (var (label, root) in new[] { ("modules", ModulesFolder), ("data", DataFolder) })
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                var relative = label + "/" + Path.GetRelativePath(root, path).Replace('\\', '/');
                if (Directory.Exists(path)) lines.Add(relative + "/");
                else if (IsSqlite(path) || path.EndsWith(".sock", StringComparison.Ordinal)) lines.Add(relative);
                else lines.Add($"{relative} {new FileInfo(path).Length} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>GET /modules' data, as JSON text.</summary>
    public async Task<string> ModulesAsync()
    {
        using var json = JsonDocument.Parse(await Daemon.Http.GetStringAsync("/pbxcore/api/v3/modules"));
        return json.RootElement.GetProperty("data").GetRawText();
    }

    /// <summary>ModuleBlackList's in-call check for a caller no rule lists: the daemon still routes and answers calls.</summary>
    public async Task AssertServesCallsAsync()
    {
        // A new caller each time: one caller calling again and again is a flood, which the module blocks.
        var caller = "+1415555" + Interlocked.Increment(ref _callers).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var call = await SimulatedAgiCall.ConnectAsync(Daemon.AgiPort, new SimulatedAgiCallOptions { Script = "module-black-list/check", CallerId = caller }, deadline.Token);
        await call.Completion.WaitAsync(deadline.Token);
        Assert.Equal("0", call.Variables.GetValueOrDefault("BLACKLISTED"));
    }

    private static bool IsSqlite(string path)
        => path.EndsWith(".db", StringComparison.Ordinal) || path.EndsWith(".db-wal", StringComparison.Ordinal)
           || path.EndsWith(".db-shm", StringComparison.Ordinal) || path.EndsWith(".db-journal", StringComparison.Ordinal);
}
