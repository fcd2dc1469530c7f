using System.IO.Compression;
using System.Text.Json.Nodes;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Feeds;

namespace PbxModules.Host.Tests.Packages;

/// <summary>
/// The real module packages the build packed into the test output's <c>packages/</c> (sdk/build's
/// <c>&lt;PbxModulePackage&gt;</c>: the Pack target, as <c>dotnet pack</c> runs it), and other versions of them
/// made with NuGet.Packaging: the same files, a rewritten module.json and the nuspec to match it.
/// </summary>
internal static class TestPackages
{
    public const string GoodId = "test-good";
    public const string BlackListId = "module-black-list";

    /// <summary>Where the build put the packs.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "packages");

    /// <summary>The build's pack of a module (version 1.0.0, as its module.json says).</summary>
    public static string Packed(string id) => Path.Combine(Folder, $"{id}.1.0.0.nupkg");

    /// <summary>A new temporary folder (deleted by the caller's <see cref="TempFolder"/>).</summary>
    public static TempFolder NewFolder() => new(Path.Combine(Path.GetTempPath(), "pbxmodules-feed-tests", Guid.NewGuid().ToString("N")));

    /// <summary>Copies the build's pack of <paramref name="id"/> into <paramref name="feed"/>.</summary>
    public static string CopyPacked(string id, string feed)
    {
        Directory.CreateDirectory(feed);
        var target = Path.Combine(feed, Path.GetFileName(Packed(id)));
        File.Copy(Packed(id), target);
        return target;
    }

    /// <summary>
    /// Writes into <paramref name="feed"/> another version of the build's pack of <paramref name="id"/>: module.json's
    /// version (and sdk, dependsOn when given) changed, the nuspec's id, version and tags made to match, as dotnet pack would.
    /// </summary>
    public static string WriteVersion(string id, string feed, string version, string? sdk = null, IReadOnlyDictionary<string, string>? dependsOn = null)
    {
        using var reader = new PackageArchiveReader(Packed(id));
        var manifest = JsonNode.Parse(ReadEntry(reader, ModulePackageLayout.ManifestEntry))!.AsObject();
        manifest["version"] = version;
        if (sdk is not null) manifest["sdk"] = sdk;
        if (dependsOn is not null)
        {
            var node = new JsonObject();
            foreach (var (key, value) in dependsOn) node[key] = value;
            manifest["dependsOn"] = node;
        }

        var builder = new PackageBuilder();
        using (var nuspec = reader.GetNuspec()) builder.Populate(Manifest.ReadFrom(nuspec, validateSchema: false).Metadata);
        builder.Version = NuGetVersion.Parse(version);
        builder.Tags.Clear();
        builder.Tags.AddRange(TagsOf(manifest));
        foreach (var entry in reader.GetFiles().Where(f => f.StartsWith(ModulePackageLayout.ModuleFolder, StringComparison.Ordinal)))
        {
            var bytes = entry == ModulePackageLayout.ManifestEntry ? System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()) : ReadBytes(reader, entry);
            builder.Files.Add(new InMemoryFile(entry, bytes));
        }
        Directory.CreateDirectory(feed);
        var path = Path.Combine(feed, $"{id}.{version}.nupkg");
        using (var stream = File.Create(path)) builder.Save(stream);
        return path;
    }

    /// <summary>A package that is not a module (a plain library package) in <paramref name="feed"/>.</summary>
    public static string WriteLibraryPackage(string feed, string id, string version)
    {
        var builder = new PackageBuilder { Id = id, Version = NuGetVersion.Parse(version), Description = "A library, not a module." };
        builder.Authors.Add("tests");
        builder.Files.Add(new InMemoryFile("lib/net10.0/_._", []));
        Directory.CreateDirectory(feed);
        var path = Path.Combine(feed, $"{id}.{version}.nupkg");
        using (var stream = File.Create(path)) builder.Save(stream);
        return path;
    }

    /// <summary>The tags sdk/PbxModules.Sdk/build/PbxModules.Sdk.targets writes for a manifest.</summary>
    private static IEnumerable<string> TagsOf(JsonObject manifest)
    {
        yield return ModulePackageTags.ModuleTag;
        yield return ModulePackageTags.SdkPrefix + ((string)manifest["sdk"]!).Replace(' ', '_');
        foreach (var (key, value) in manifest["dependsOn"]?.AsObject() ?? [])
            yield return $"{ModulePackageTags.DependsOnPrefix}{key}@{((string)value!).Replace(' ', '_')}";
    }

    public static string ReadEntry(PackageArchiveReader reader, string entry) => System.Text.Encoding.UTF8.GetString(ReadBytes(reader, entry));

    private static byte[] ReadBytes(PackageArchiveReader reader, string entry)
    {
        using var stream = reader.GetStream(entry);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The entry names of a package file.</summary>
    public static IReadOnlyList<string> Entries(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    private sealed class InMemoryFile(string path, byte[] bytes) : IPackageFile
    {
        public string Path => path;
        public string? EffectivePath => null;
        public NuGet.Frameworks.NuGetFramework? NuGetFramework => null;
        public System.Runtime.Versioning.FrameworkName? TargetFramework => null;
        public DateTimeOffset LastWriteTime { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public Stream GetStream() => new MemoryStream(bytes, writable: false);
    }
}

/// <summary>A temporary folder, deleted with everything in it.</summary>
internal sealed class TempFolder(string path) : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(path).FullName;

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
