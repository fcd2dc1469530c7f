using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using NuGet.Common;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Versioning;
using PbxModules.Sdk.Modules;

namespace PbxModules.Sdk.Testing.Packages;

/// <summary>
/// Makes a module package (<c>.nupkg</c> of package type <c>PbxModule</c>, the module folder under
/// <c>module/</c>) in code, the way <c>dotnet pack</c> and <c>dotnet nuget sign</c> make one, so a test
/// can install a module from a package without running the SDK. It can also make the packages a host
/// must refuse: raw zip entries with any name, link entries, lying sizes, another package type.
/// </summary>
/// <example>
/// <code>
/// using var certificate = SigningCertificates.CreateSelfSigned("CN=My PBX vendor");
/// var nupkg = await ModulePackageBuilder.FromModuleFolder("bin/Debug/net10.0/modules/MyModule")
///     .SignWith(certificate)
///     .BuildAsync(Path.Combine(temp, "my-module.1.0.0.nupkg"));
/// // trust it: Modules:TrustedSigners = [ SigningCertificates.Sha256Fingerprint(certificate) ]
/// </code>
/// </example>
public sealed class ModulePackageBuilder
{
    /// <summary>The NuGet package type of a module package.</summary>
    public const string ModulePackageType = "PbxModule";

    /// <summary>The package folder that holds the module folder.</summary>
    public const string ModuleFolder = "module/";

    private readonly List<(string Path, byte[] Content)> _moduleFiles = [];
    private readonly List<RawZipEntry> _rawEntries = [];
    private readonly List<string> _packageTypes = [ModulePackageType];
    private X509Certificate2? _certificate;

    /// <summary>A package with this NuGet id and version and no files yet.</summary>
    /// <param name="id">The package id (a module package's id is the module id).</param>
    /// <param name="version">The package version, e.g. <c>1.0.0</c>.</param>
    public ModulePackageBuilder(string id, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Id = id;
        Version = version;
    }

    /// <summary>The package id written to the nuspec.</summary>
    public string Id { get; }

    /// <summary>The package version written to the nuspec.</summary>
    public string Version { get; }

    /// <summary>The nuspec's authors. Default <c>PbxModules tests</c>.</summary>
    public string Authors { get; set; } = "PbxModules tests";

    /// <summary>The nuspec's description. Default: one naming the package.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// A package of every file of a built module folder (the one holding <c>module.json</c> beside the
    /// assemblies), with the id and version its <c>module.json</c> says.
    /// </summary>
    public static ModulePackageBuilder FromModuleFolder(string folder)
    {
        var manifestPath = Path.Combine(folder, ModuleManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"{ModuleManifest.FileName} not found in '{folder}': pass a built module folder.", manifestPath);
        var manifest = JsonSerializer.Deserialize<ModuleManifest>(File.ReadAllText(manifestPath), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidDataException($"'{manifestPath}' is empty.");
        if (string.IsNullOrWhiteSpace(manifest.Id) || string.IsNullOrWhiteSpace(manifest.Version))
            throw new InvalidDataException($"'{manifestPath}' has no id or no version: the package takes both from it.");
        return new ModulePackageBuilder(manifest.Id, manifest.Version).AddModuleFolder(folder);
    }

    /// <summary>Adds every file under <paramref name="folder"/> to the module folder, keeping their relative paths.</summary>
    public ModulePackageBuilder AddModuleFolder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            AddModuleFile(Path.GetRelativePath(folder, file).Replace('\\', '/'), File.ReadAllBytes(file));
        return this;
    }

    /// <summary>Adds (or replaces) one file of the module folder; <paramref name="relativePath"/> is relative to it, e.g. <c>module.json</c>.</summary>
    public ModulePackageBuilder AddModuleFile(string relativePath, byte[] content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        _moduleFiles.RemoveAll(f => f.Path == relativePath);
        _moduleFiles.Add((relativePath, content));
        return this;
    }

    /// <summary>Adds (or replaces) one text file (UTF-8) of the module folder.</summary>
    public ModulePackageBuilder AddModuleFile(string relativePath, string text) => AddModuleFile(relativePath, Encoding.UTF8.GetBytes(text));

    /// <summary>Removes a file of the module folder (e.g. <c>module.json</c>, for a package that lacks one).</summary>
    public ModulePackageBuilder RemoveModuleFile(string relativePath)
    {
        _moduleFiles.RemoveAll(f => f.Path == relativePath);
        return this;
    }

    /// <summary>Declares these NuGet package types instead of <c>PbxModule</c>; none at all for an empty list.</summary>
    public ModulePackageBuilder WithPackageTypes(params string[] packageTypes)
    {
        _packageTypes.Clear();
        _packageTypes.AddRange(packageTypes);
        return this;
    }

    /// <summary>Adds a zip entry exactly as given, after NuGet wrote the package: any name, any attributes, any declared size.</summary>
    public ModulePackageBuilder AddRawEntry(RawZipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _rawEntries.Add(entry);
        return this;
    }

    /// <summary>Adds a zip entry that is a Unix symbolic link (mode <c>S_IFLNK</c>) named <paramref name="entryName"/> pointing at <paramref name="target"/>.</summary>
    public ModulePackageBuilder AddSymbolicLink(string entryName, string target)
        => AddRawEntry(new RawZipEntry(entryName, Encoding.UTF8.GetBytes(target)) { UnixMode = RawZipEntry.SymbolicLinkMode });

    /// <summary>Signs the package with an author signature (SHA-256, no timestamp) by <paramref name="certificate"/>, which must hold its private key.</summary>
    public ModulePackageBuilder SignWith(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
            throw new ArgumentException("The certificate has no private key: a package is signed with the private key.", nameof(certificate));
        _certificate = certificate;
        return this;
    }

    /// <summary>Writes the package to <paramref name="path"/> (overwriting it) and returns the path.</summary>
    public async Task<string> BuildAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var unsigned = _certificate is null ? fullPath : fullPath + ".unsigned";
        try
        {
            WriteNuGetPackage(unsigned);
            if (_rawEntries.Count > 0)
                AddRawEntries(unsigned);
            if (_certificate is not null)
                await SignAsync(unsigned, fullPath, _certificate, cancellationToken);
        }
        finally
        {
            if (unsigned != fullPath)
                File.Delete(unsigned);
        }
        return fullPath;
    }

    private void WriteNuGetPackage(string path)
    {
        var builder = new PackageBuilder(deterministic: true)
        {
            Id = Id,
            Version = NuGetVersion.Parse(Version),
            Description = Description ?? $"The PbxModules module {Id}.",
        };
        builder.Authors.Add(Authors);
        foreach (var tag in TagsOfManifest()) builder.Tags.Add(tag);
        foreach (var type in _packageTypes)
            builder.PackageTypes.Add(new PackageType(type, PackageType.EmptyVersion));
        foreach (var (relativePath, content) in _moduleFiles)
            builder.Files.Add(new PhysicalPackageFile(new MemoryStream(content)) { TargetPath = ModuleFolder + relativePath });
        using var stream = File.Create(path);
        builder.Save(stream);
    }

    /// <summary>
    /// The tags <c>dotnet pack</c> of a module writes (sdk/PbxModules.Sdk/build/PbxModules.Sdk.targets): <c>pbxmodule</c>,
    /// <c>pbxmodule-sdk:&lt;range&gt;</c> and one <c>pbxmodule-dependson:&lt;id&gt;@&lt;range&gt;</c> per dependency,
    /// spaces of a range as <c>_</c>; what a feed lists without a download. None without a readable module.json.
    /// </summary>
    private List<string> TagsOfManifest()
    {
        var file = _moduleFiles.FirstOrDefault(f => f.Path == ModuleManifest.FileName).Content;
        if (file is null) return [];
        ModuleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModuleManifest>(file, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException)
        {
            return []; // a malformed manifest on purpose: the host must refuse the package, not this builder.
        }
        if (manifest?.Sdk is not { Length: > 0 } sdk) return [];
        var tags = new List<string> { "pbxmodule", "pbxmodule-sdk:" + sdk.Trim().Replace(' ', '_') };
        foreach (var (id, range) in (manifest.DependsOn ?? new Dictionary<string, string>()).OrderBy(d => d.Key, StringComparer.Ordinal))
            tags.Add("pbxmodule-dependson:" + id + "@" + range.Trim().Replace(' ', '_'));
        return tags;
    }

    private void AddRawEntries(string path)
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            foreach (var raw in _rawEntries)
            {
                var entry = zip.CreateEntry(raw.Name, CompressionLevel.Optimal);
                if (raw.UnixMode is { } mode)
                    entry.ExternalAttributes = mode << 16;
                using var stream = entry.Open();
                stream.Write(raw.Content);
            }
        }
        foreach (var raw in _rawEntries.Where(r => r.DeclaredLength is not null))
            ZipSizePatcher.SetDeclaredLength(path, raw.Name, raw.DeclaredLength!.Value);
    }

    private static async Task SignAsync(string input, string output, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        // The request disposes the certificates of the chain it builds, the leaf among them: it gets its own copy, the caller keeps theirs.
        using var copy = new X509Certificate2(certificate);
        using var request = new AuthorSignPackageRequest(copy, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256);
        using var options = SigningOptions.CreateFromFilePaths(input, output, overwrite: true, new X509SignatureProvider(timestampProvider: null), NullLogger.Instance);
        await SigningUtility.SignAsync(options, request, cancellationToken);
    }
}
