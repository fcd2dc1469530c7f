using System.IO.Compression;
using System.Security.Cryptography;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Packages.Verification;

/// <summary>
/// A package file <see cref="ModulePackageVerifier"/> accepted. It keeps the path and the hash, not the
/// file's content: extraction re-reads the file, checks it is still the one verified, and checks every
/// entry again as it writes it, since the file on disk is what gets extracted.
/// </summary>
internal sealed class VerifiedModulePackage(
    string path, SemVersion version, ModuleManifest manifest, PackageSignatureInfo signature, string sha256, long maxExpandedBytes) : IModulePackage
{
    public string Id => Manifest.Id!;

    public SemVersion Version { get; } = version;

    public ModuleManifest Manifest { get; } = manifest;

    public PackageSignatureInfo Signature { get; } = signature;

    public string Sha256 { get; } = sha256;

    /// <summary>The package file.</summary>
    public string Path { get; } = path;

    public async Task ExtractToAsync(string directory, CancellationToken cancellationToken)
    {
        var root = System.IO.Path.GetFullPath(directory);
        if (File.Exists(root))
            throw new InvalidOperationException($"Cannot extract module package '{Path}' to '{root}': that is a file, not a folder.");
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new InvalidOperationException($"Cannot extract module package '{Path}' to '{root}': the folder is not empty, and a module folder must hold only the package's files.");
        Directory.CreateDirectory(root);
        try
        {
            await ExtractAsync(root, cancellationToken);
        }
        catch
        {
            // Whatever failed, the folder is left as it was given: empty.
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                else entry.Delete();
            }
            throw;
        }
    }

    private async Task ExtractAsync(string root, CancellationToken cancellationToken)
    {
        var inside = System.IO.Path.EndsInDirectorySeparator(root) ? root : root + System.IO.Path.DirectorySeparatorChar;
        await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (hash != Sha256)
            throw Refused(PackageRefusalCode.Corrupt, $"Module package '{Path}' changed after it was verified (SHA-256 {hash}, verified {Sha256}): install it again.");
        stream.Position = 0;

        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            if (PackageEntryRules.Check(entry, Path) is { } refusal)
                throw new ModulePackageExtractionException(refusal);
            var name = PackageEntryRules.NormalizedName(entry.FullName);
            if (!name.StartsWith(ModulePackageLayout.ModuleFolder, StringComparison.Ordinal) || name.Length == ModulePackageLayout.ModuleFolder.Length)
                continue;

            var destination = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, name[ModulePackageLayout.ModuleFolder.Length..]));
            if (!destination.StartsWith(inside, StringComparison.Ordinal))
                throw Refused(PackageRefusalCode.EntryOutsideFolder, $"Module package '{Path}' has an entry '{entry.FullName}' that would be written to '{destination}', outside '{root}': do not install it.");
            if (name.EndsWith('/'))
            {
                Directory.CreateDirectory(destination);
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            await using var source = entry.Open();
            // CreateNew: never overwrites, and never follows a link left at the destination.
            await using var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
            total = await ExpandedBytes.CopyAsync(source, target, total, maxExpandedBytes, cancellationToken)
                ?? throw Refused(PackageRefusalCode.ExpandsTooLarge, $"Module package '{Path}' expands to more than Modules:MaxExpandedBytes ({maxExpandedBytes} bytes) while extracting '{entry.FullName}', more than its entries declare: do not install it.");
        }
    }

    private static ModulePackageExtractionException Refused(PackageRefusalCode code, string message) => new(new PackageRefusal(code, message));
}
