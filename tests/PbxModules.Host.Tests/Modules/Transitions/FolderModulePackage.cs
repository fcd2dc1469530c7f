using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Tests.Modules.Transitions;

/// <summary>
/// A verified package, for the transitions' tests: a copy of a deployed test module (its real
/// assemblies), with its module.json edited as a test needs (another version, another id, a
/// dependency) and its files changed by <c>arrange</c> (a corrupt assembly). The verifier that reads
/// real .nupkg files is tested on its own; what the transitions take is only this interface.
/// </summary>
internal sealed class FolderModulePackage : IModulePackage
{
    private readonly string _folder;

    /// <param name="root">A temporary folder of the test; the package's files are prepared under it.</param>
    /// <param name="deployedName">The deployed test module's folder name, e.g. <c>GoodModule</c>.</param>
    /// <param name="version">The version to give it; null keeps the manifest's.</param>
    /// <param name="editManifest">Further edits of its module.json.</param>
    /// <param name="arrange">Changes the prepared folder (e.g. corrupts the assembly).</param>
    public FolderModulePackage(string root, string deployedName, string? version = null, Action<JsonObject>? editManifest = null, Action<string>? arrange = null)
    {
        _folder = Path.Combine(root, "packages", $"{deployedName}-{Guid.NewGuid():N}");
        Rest.RestHost.CopyDirectory(Path.Combine(ModuleHostFixture.DeployedModules, deployedName), _folder);
        var manifestPath = Path.Combine(_folder, ModuleManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        if (version is not null) json["version"] = version;
        editManifest?.Invoke(json);
        File.WriteAllText(manifestPath, json.ToJsonString());
        var read = ManifestValidator.ReadFromFolder(_folder);
        Assert.True(read.IsValid, $"The test package's manifest is invalid: {string.Join(" ", read.Problems.Select(p => p.Message))}");
        Manifest = read.Manifest!;
        Version = read.Version!;
        arrange?.Invoke(_folder);
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifestPath)));
    }

    public string Id => Manifest.Id!;

    public SemVersion Version { get; }

    public ModuleManifest Manifest { get; }

    public PackageSignatureInfo Signature { get; init; } = PackageSignatureInfo.Unsigned;

    public string Sha256 { get; }

    public string? Source => $"test:{Path.GetFileName(_folder)}";

    /// <summary>How many times it was extracted.</summary>
    public int Extractions { get; private set; }

    public Task ExtractToAsync(string directory, CancellationToken cancellationToken)
    {
        Assert.True(Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any(), $"ExtractToAsync wants an empty folder: {directory}");
        Extractions++;
        Rest.RestHost.CopyDirectory(_folder, directory);
        return Task.CompletedTask;
    }

    /// <summary>Overwrites a file of a module folder with bytes that are no assembly.</summary>
    public static void Corrupt(string folder, string file) => File.WriteAllBytes(Path.Combine(folder, file), [0x4d, 0x5a, 0, 1, 2, 3]);
}

