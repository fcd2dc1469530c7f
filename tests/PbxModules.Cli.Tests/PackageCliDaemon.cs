using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.Cli.Tests;

/// <summary>
/// A <see cref="CliDaemon"/> for the package commands: it trusts one vendor certificate
/// (<c>Modules:TrustedSigners</c>), its local feed (<c>&lt;data&gt;/feed</c>) holds test-versioned 1.0.0, 1.1.0
/// and 2.0.0 signed by that vendor, and <see cref="Files"/> holds package files to install: signed, unsigned,
/// signed by a stranger, tampered after signing.
/// </summary>
public class PackageCliDaemon : CliDaemon
{
    public const string VersionedId = "test-versioned";
    public const string GoodId = "test-good";
    public const string VendorSubject = "CN=PbxModules CLI test vendor";

    private readonly X509Certificate2 _vendor = SigningCertificates.CreateSelfSigned(VendorSubject);
    private readonly X509Certificate2 _stranger = SigningCertificates.CreateSelfSigned("CN=Someone nobody trusts");
    private string? _files;

    /// <summary>The package files (outside the daemon's folders): <see cref="SignedVersioned"/>, <see cref="UnsignedGood"/>, <see cref="StrangerGood"/>, <see cref="TamperedGood"/>.</summary>
    public string Files => _files ?? throw new InvalidOperationException("Not started.");

    /// <summary>test-versioned 1.0.0 signed by the trusted vendor.</summary>
    public string SignedVersioned => Path.Combine(Files, "test-versioned.1.0.0.nupkg");

    /// <summary>test-good 1.0.0, not signed.</summary>
    public string UnsignedGood => Path.Combine(Files, "test-good.1.0.0.nupkg");

    /// <summary>test-good 1.0.0 signed by a certificate the daemon does not trust.</summary>
    public string StrangerGood => Path.Combine(Files, "stranger", "test-good.1.0.0.nupkg");

    /// <summary>test-good 1.0.0 signed by the vendor, then changed (its module.json's description).</summary>
    public string TamperedGood => Path.Combine(Files, "tampered", "test-good.1.0.0.nupkg");

    /// <summary>The module's data folder (its files; its database beside it).</summary>
    public string ModuleDataFolder(string id) => Path.Combine(DataFolder, "modules", id);

    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings =>
        [new("Modules:TrustedSigners:0", SigningCertificates.Sha256Fingerprint(_vendor))];

    protected override async Task ArrangeAsync(string root)
    {
        var feed = Path.Combine(root, "var", "data", "feed");
        foreach (var version in new[] { "1.0.0", "1.1.0", "2.0.0" })
            await Versioned(version).SignWith(_vendor).BuildAsync(Path.Combine(feed, $"{VersionedId}.{version}.nupkg"));

        _files = Directory.CreateDirectory(Path.Combine(root, "files")).FullName;
        await Versioned("1.0.0").SignWith(_vendor).BuildAsync(SignedVersioned);
        await ModulePackageBuilder.FromModuleFolder(TestModule("GoodModule")).BuildAsync(UnsignedGood);
        await ModulePackageBuilder.FromModuleFolder(TestModule("GoodModule")).SignWith(_stranger).BuildAsync(StrangerGood);
        await ModulePackageBuilder.FromModuleFolder(TestModule("GoodModule")).SignWith(_vendor).BuildAsync(TamperedGood);
        Tamper(TamperedGood);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _vendor.Dispose();
        _stranger.Dispose();
    }

    /// <summary>The build's folder of a test module (sdk/build's &lt;PbxModule&gt;).</summary>
    public static string TestModule(string name) => Path.Combine(AppContext.BaseDirectory, "testmodules", name);

    /// <summary>VersionedModule's build output as <paramref name="version"/>: its module.json says that version, so its handlers report it.</summary>
    public static ModulePackageBuilder Versioned(string version)
    {
        var folder = TestModule("VersionedModule");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "module.json")))!.AsObject();
        manifest["version"] = version;
        return new ModulePackageBuilder(VersionedId, version).AddModuleFolder(folder).AddModuleFile("module.json", manifest.ToJsonString());
    }

    /// <summary>Changes the manifest of a signed package, as someone altering it after signing would.</summary>
    public static void Tamper(string nupkg)
    {
        using var zip = ZipFile.Open(nupkg, ZipArchiveMode.Update);
        var entry = zip.GetEntry("module/module.json")!;
        string json;
        using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
        entry.Delete();
        var manifest = JsonNode.Parse(json)!.AsObject();
        manifest["description"] = "Changed after signing.";
        using var writer = new StreamWriter(zip.CreateEntry("module/module.json").Open());
        writer.Write(manifest.ToJsonString());
    }
}

/// <summary>A <see cref="PackageCliDaemon"/> with <c>Modules:AllowUnsigned</c> set: unsigned packages install, and are listed as unsigned.</summary>
public sealed class UnsignedAllowedCliDaemon : PackageCliDaemon
{
    protected override IEnumerable<KeyValuePair<string, string>> MoreSettings => [.. base.MoreSettings, new("Modules:AllowUnsigned", "true")];
}
