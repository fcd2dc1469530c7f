using System.Text.Json;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Tests.Packages.Installing;

/// <summary>
/// What a test package file says about itself: the test verifier reads these (real files, written
/// where an upload or a download puts them) instead of opening a .nupkg, which the package
/// verifier's own tests do. <paramref name="Refusal"/> makes the verifier refuse it with that code.
/// </summary>
public sealed record TestPackageSpec(string Id, string Version, Dictionary<string, string>? DependsOn = null, PackageRefusalCode? Refusal = null)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public void WriteTo(string path) => File.WriteAllBytes(path, ToBytes());

    public static TestPackageSpec Read(string path) => JsonSerializer.Deserialize<TestPackageSpec>(File.ReadAllBytes(path))!;
}

/// <summary>A package the test verifier accepted: the manifest from its spec, and whether it was closed.</summary>
public sealed class TestPackage(TestPackageSpec spec) : IModulePackage, IDisposable
{
    public string Id => spec.Id;

    public SemVersion Version { get; } = SemVersion.Parse(spec.Version, SemVersionStyles.Strict);

    public ModuleManifest Manifest { get; } = new()
    {
        Id = spec.Id,
        Name = spec.Id,
        Version = spec.Version,
        Sdk = "^" + ManifestValidator.HostSdkVersion,
        Assembly = spec.Id + ".dll",
        DependsOn = spec.DependsOn ?? [],
    };

    public PackageSignatureInfo Signature => PackageSignatureInfo.Unsigned;

    public string Sha256 => new string('0', 64);

    public bool Disposed { get; private set; }

    public Task ExtractToAsync(string directory, CancellationToken cancellationToken)
        => File.WriteAllTextAsync(Path.Combine(directory, ModuleManifest.FileName), JsonSerializer.Serialize(Manifest), cancellationToken);

    public void Dispose() => Disposed = true;
}

/// <summary>
/// The verifier for the installer's tests (the real one has its own tests): reads a <see cref="TestPackageSpec"/>
/// from the file, refuses what the spec says to refuse and a file that is not a spec (Corrupt), and
/// records what it saw, so a test can tell the file existed while it was verified.
/// </summary>
public sealed class TestPackageVerifier : IModulePackageVerifier
{
    private readonly List<string> _verified = [];
    private readonly List<TestPackage> _opened = [];

    public IReadOnlyList<string> Verified { get { lock (_verified) return [.. _verified]; } }

    public IReadOnlyList<TestPackage> Opened { get { lock (_verified) return [.. _opened]; } }

    public Task<PackageCheck> VerifyAsync(string nupkgPath, CancellationToken cancellationToken)
    {
        TestPackageSpec spec;
        try
        {
            spec = TestPackageSpec.Read(nupkgPath);
        }
        catch (JsonException)
        {
            return Task.FromResult(PackageCheck.Refused(PackageRefusalCode.Corrupt, "The file is not a module package."));
        }
        lock (_verified) _verified.Add($"{spec.Id}@{spec.Version}");
        if (spec.Refusal is { } code)
            return Task.FromResult(PackageCheck.Refused(code, $"Package {spec.Id} {spec.Version} refused: {code}."));
        var package = new TestPackage(spec);
        lock (_verified) _opened.Add(package);
        return Task.FromResult(PackageCheck.Accepted(package));
    }
}
