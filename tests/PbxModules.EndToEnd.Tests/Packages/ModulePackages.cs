using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.EndToEnd.Tests.Packages;

/// <summary>
/// The module packages the package tests install, built once for the whole collection from the test
/// modules' build output (<c>testmodules/</c>) with the test kit's <see cref="ModulePackageBuilder"/>:
/// test-migrating 1.0.0 and 1.1.0 signed by a self-signed certificate the daemons trust
/// (<see cref="TrustSettings"/>), test-versioned 1.0.0 and 2.0.0 unsigned (the daemons that take them
/// allow unsigned packages), and a dependent of test-good for the feed test.
/// </summary>
public sealed class ModulePackages : IAsyncLifetime
{
    /// <summary>test-migrating's id.</summary>
    public const string Migrating = "test-migrating";

    /// <summary>test-versioned's id.</summary>
    public const string Versioned = "test-versioned";

    /// <summary>The module that depends on test-good (a copy of test-versioned with another id and dependsOn).</summary>
    public const string Dependent = "test-needs-good";

    /// <summary>The dependency, GoodModule as dotnet pack made it.</summary>
    public const string Dependency = "test-good";

    private readonly X509Certificate2 _certificate = SigningCertificates.CreateSelfSigned("CN=PbxModules end-to-end package tests");

    public async Task InitializeAsync()
    {
        MigratingV1 = await BuildAsync(ModulePackageBuilder.FromModuleFolder(TestModule("MigratingV1")).SignWith(_certificate));
        MigratingV2 = await BuildAsync(ModulePackageBuilder.FromModuleFolder(TestModule("MigratingV2")).SignWith(_certificate));
        VersionedV1 = await BuildAsync(ModulePackageBuilder.FromModuleFolder(TestModule("VersionedModule")));
        VersionedV2 = await BuildAsync(WithManifest("VersionedModule", m => m["version"] = "2.0.0"));
        DependentV1 = await BuildAsync(WithManifest("VersionedModule", m =>
        {
            m["id"] = Dependent;
            m["dependsOn"] = new JsonObject { [Dependency] = "^1.0.0" };
        }));
        // dotnet pack's own package of GoodModule (PbxModulePackage in the project file).
        DependencyV1 = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "packages"), Dependency + ".*.nupkg").Single();
    }

    /// <summary>Where the packages are.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("pbxmodules-e2e-packages-").FullName;

    public string MigratingV1 { get; private set; } = "";
    public string MigratingV2 { get; private set; } = "";
    public string VersionedV1 { get; private set; } = "";
    public string VersionedV2 { get; private set; } = "";
    public string DependentV1 { get; private set; } = "";
    public string DependencyV1 { get; private set; } = "";

    /// <summary>The settings that make a daemon trust the signer of the signed packages (<c>Modules:TrustedSigners</c>).</summary>
    public IReadOnlyDictionary<string, string> TrustSettings => new Dictionary<string, string> { ["Modules:TrustedSigners:0"] = SigningCertificates.Sha256Fingerprint(_certificate) };

    /// <summary>A built test module's folder (deployed by the project's <c>PbxModule</c> items).</summary>
    public static string TestModule(string name) => Path.Combine(AppContext.BaseDirectory, "testmodules", name);

    public Task DisposeAsync()
    {
        _certificate.Dispose();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    private Task<string> BuildAsync(ModulePackageBuilder builder) => builder.BuildAsync(Path.Combine(Folder, $"{builder.Id}.{builder.Version}.nupkg"));

    /// <summary>A package of a built test module whose module.json is changed by <paramref name="change"/> (the package's id and version follow it).</summary>
    private static ModulePackageBuilder WithManifest(string module, Action<JsonObject> change)
    {
        var folder = TestModule(module);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "module.json")))!.AsObject();
        change(manifest);
        return new ModulePackageBuilder((string)manifest["id"]!, (string)manifest["version"]!)
            .AddModuleFolder(folder)
            .AddModuleFile("module.json", manifest.ToJsonString());
    }
}
