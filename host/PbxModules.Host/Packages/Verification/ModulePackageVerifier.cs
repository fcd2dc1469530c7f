using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Options;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Packages.Verification;

/// <summary>
/// Checks a module <c>.nupkg</c> before anything installed is touched, cheapest and most basic first:
/// size and readability, every zip entry (path, type, count, expanded size), package type and manifest,
/// signature, SDK range. The first problem found is the refusal. Nothing is written anywhere: entries
/// are decompressed only to count what they really expand to.
/// </summary>
internal sealed partial class ModulePackageVerifier(IOptionsMonitor<ModulePackageOptions> options, ILogger<ModulePackageVerifier> logger) : IModulePackageVerifier
{
    // module.json is a few hundred bytes; a bigger one is not a manifest, and is not read into memory.
    private const int MaxManifestBytes = 1024 * 1024;

    public async Task<PackageCheck> VerifyAsync(string nupkgPath, CancellationToken cancellationToken)
    {
        var check = await CheckAsync(Path.GetFullPath(nupkgPath), options.CurrentValue, cancellationToken);
        if (check.Refusal is { } refusal)
            LogRefused(logger, nupkgPath, refusal.Code, refusal.Message);
        else
            LogAccepted(logger, nupkgPath, check.Package!.Id, check.Package.Version.ToString(), check.Package.Signature.SignerFingerprint ?? "unsigned");
        return check;
    }

    private static async Task<PackageCheck> CheckAsync(string path, ModulePackageOptions options, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var file = new FileInfo(path);
        if (!file.Exists)
            return PackageCheck.Refused(PackageRefusalCode.Corrupt, $"Package file '{path}' does not exist: check the path.");
        if (file.Length > options.MaxPackageBytes)
            return PackageCheck.Refused(PackageRefusalCode.TooLarge, $"Package '{name}' is {file.Length} bytes, more than Modules:MaxPackageBytes ({options.MaxPackageBytes}): raise that limit if you trust the package.");

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return PackageCheck.Refused(PackageRefusalCode.Corrupt, $"Package file '{path}' could not be read ({ex.Message}): check its permissions.");
        }
        await using (stream)
        {
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            stream.Position = 0;
            try
            {
                return await CheckContentAsync(stream, path, name, sha256, options, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or PackagingException or XmlException or IOException or FormatException or ArgumentException)
            {
                // What the zip reader or NuGet throws for a damaged file past the first look (a truncated entry, a bad nuspec value).
                return Corrupt(name, ex);
            }
        }
    }

    private static async Task<PackageCheck> CheckContentAsync(FileStream stream, string path, string name, string sha256, ModulePackageOptions options, CancellationToken cancellationToken)
    {
        // 1. A NuGet package at all: a zip with a nuspec giving id and version.
        PackageArchiveReader reader;
        ZipArchive zip;
        string packageId;
        NuGetVersion packageVersion;
        IReadOnlyList<PackageType> packageTypes;
        try
        {
            reader = new PackageArchiveReader(stream, leaveStreamOpen: true);
            var nuspec = reader.NuspecReader;
            packageId = nuspec.GetId();
            packageVersion = nuspec.GetVersion();
            packageTypes = nuspec.GetPackageTypes();
            stream.Position = 0;
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or PackagingException or XmlException or IOException or FormatException or ArgumentException)
        {
            return Corrupt(name, ex);
        }
        // From here on the package is named by what it is: the file's name is often a random one (an
        // upload, a download), which tells the administrator nothing. An id NuGet would not accept stays unnamed.
        if (PackageIdValidator.IsValidPackageId(packageId)) name = $"{packageId} {packageVersion.ToNormalizedString()}";
        using (reader)
        using (zip)
        {
            // 2. Every entry, before any is read for its content.
            if (await CheckEntriesAsync(zip, name, options, cancellationToken) is { } entriesRefusal)
                return entriesRefusal;

            // 3. A module package, whose manifest agrees with its nuspec.
            if (!packageTypes.Any(t => t.Name.Equals(ModulePackageLayout.PackageType, StringComparison.OrdinalIgnoreCase)))
            {
                var declared = packageTypes.Count == 0 ? "none (a plain library package)" : string.Join(", ", packageTypes.Select(t => t.Name));
                return PackageCheck.Refused(PackageRefusalCode.WrongPackageType, $"Package '{name}' is not a module package: its nuspec declares package type {declared}, not {ModulePackageLayout.PackageType}. Pack the module with the PbxModules SDK's build (it sets <PackageType>{ModulePackageLayout.PackageType}</PackageType>).");
            }
            var entries = zip.Entries.ToDictionary(e => PackageEntryRules.NormalizedName(e.FullName), StringComparer.Ordinal);
            if (!entries.TryGetValue(ModulePackageLayout.ManifestEntry, out var manifestEntry))
                return PackageCheck.Refused(PackageRefusalCode.NoManifest, $"Package '{name}' has no {ModulePackageLayout.ManifestEntry}: a module package carries the module folder, with its {ModuleManifest.FileName}, under {ModulePackageLayout.ModuleFolder}. Pack the module with the PbxModules SDK's build.");
            var json = await ReadManifestAsync(manifestEntry, cancellationToken);
            if (json is null)
                return PackageCheck.Refused(PackageRefusalCode.InvalidManifest, $"Package '{name}': {ModulePackageLayout.ManifestEntry} is larger than {MaxManifestBytes} bytes, which no manifest is: rebuild the module.");

            var read = ManifestValidator.Validate(json, folder: null);
            var problems = read.Problems.Where(p => p.Code != ManifestProblemCode.SdkUnsatisfied).ToList();
            if (read.Manifest?.Assembly is { } assembly && problems.All(p => p.Field != "assembly") && !entries.ContainsKey(ModulePackageLayout.ModuleFolder + assembly))
                problems.Add(new("assembly", ManifestProblemCode.AssemblyNotFound, $": '{assembly}' is not in the package's {ModulePackageLayout.ModuleFolder} folder. Rebuild the package: the module's files are incomplete."));
            if (problems.Count > 0 || read.Manifest is null || read.Version is null)
                return PackageCheck.Refused(PackageRefusalCode.InvalidManifest, $"Package '{name}': {ModulePackageLayout.ManifestEntry} is invalid. {string.Join(" ", problems.Select(p => p.Message))}");
            var manifest = read.Manifest;
            if (!string.Equals(manifest.Id, packageId, StringComparison.Ordinal))
                return PackageCheck.Refused(PackageRefusalCode.IdMismatch, $"Package '{name}' has id '{packageId}' but its {ModuleManifest.FileName} says id '{manifest.Id}': the package id must be the module id. Set <PackageId>{manifest.Id}</PackageId> (or fix the manifest) and pack again.");
            if (!SemVersion.TryParse(packageVersion.ToNormalizedString(), SemVersionStyles.Strict, out var nuspecVersion) || nuspecVersion.ComparePrecedenceTo(read.Version) != 0)
                return PackageCheck.Refused(PackageRefusalCode.VersionMismatch, $"Package '{name}' has version {packageVersion.ToNormalizedString()} but its {ModuleManifest.FileName} says version {manifest.Version}: the package version must be the module version. Set <Version>{manifest.Version}</Version> (or fix the manifest) and pack again.");

            // 4. Signed by a trusted signer (or unsigned, where allowed).
            var (signature, signatureRefusal) = await AuthorSignatureVerifier.VerifyAsync(reader, name, options, cancellationToken);
            if (signatureRefusal is not null)
                return new PackageCheck(null, signatureRefusal);

            // 5. Built for this host's SDK: the validator's own message, kept apart from the manifest's other problems.
            if (read.Problems.FirstOrDefault(p => p.Code == ManifestProblemCode.SdkUnsatisfied) is { } sdk)
                return PackageCheck.Refused(PackageRefusalCode.IncompatibleSdk, $"Package '{name}' was built for another SDK. {sdk.Message}");

            return PackageCheck.Accepted(new VerifiedModulePackage(path, read.Version, manifest, signature!, sha256, options.MaxExpandedBytes));
        }
    }

    private static async Task<PackageCheck?> CheckEntriesAsync(ZipArchive zip, string name, ModulePackageOptions options, CancellationToken cancellationToken)
    {
        if (zip.Entries.Count > options.MaxEntries)
            return PackageCheck.Refused(PackageRefusalCode.ExpandsTooLarge, $"Package '{name}' has {zip.Entries.Count} entries, more than Modules:MaxEntries ({options.MaxEntries}): raise that limit if you trust the package.");

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long declared = 0;
        foreach (var entry in zip.Entries)
        {
            if (PackageEntryRules.Check(entry, name) is { } refusal)
                return new PackageCheck(null, refusal);
            // Two entries one folder would hold as one file: which of them is checked and which is installed would be up to the extractor.
            if (!seen.Add(PackageEntryRules.NormalizedName(entry.FullName)))
                return PackageCheck.Refused(PackageRefusalCode.Corrupt, $"Package '{name}' has the entry '{entry.FullName}' twice (names compared ignoring case): the package is malformed. Rebuild it with dotnet pack.");
            declared += entry.Length;
        }
        if (declared > options.MaxExpandedBytes)
            return TooLarge(name, $"its entries declare {declared} bytes", options);

        // The declared sizes can lie: decompress everything (to nowhere) and count what comes out. The zip
        // reader stops an entry at its declared size, so one that declares less than it holds (a zip bomb
        // declaring 100 bytes) yields a cut-off content: its CRC-32 is then not the one the zip records.
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            await using var content = entry.Open();
            var checksum = new Crc32();
            if (await ExpandedBytes.CopyAsync(content, target: null, total, options.MaxExpandedBytes, cancellationToken, checksum) is not { } next)
                return TooLarge(name, $"'{entry.FullName}' expands past the limit, further than the {entry.Length} bytes it declares", options);
            if (checksum.GetCurrentHashAsUInt32() != entry.Crc32)
                return PackageCheck.Refused(PackageRefusalCode.Corrupt, $"Package '{name}' has an entry '{entry.FullName}' whose content does not match its checksum (CRC-32) or its declared size of {entry.Length} bytes: the file is damaged, or made to look smaller than it expands. Download or copy it again; do not install it as it is.");
            total = next;
        }
        return null;
    }

    private static PackageCheck TooLarge(string name, string why, ModulePackageOptions options)
        => PackageCheck.Refused(PackageRefusalCode.ExpandsTooLarge, $"Package '{name}' expands to more than Modules:MaxExpandedBytes ({options.MaxExpandedBytes} bytes): {why}. Raise that limit if you trust the package.");

    private static async Task<string?> ReadManifestAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        await using var content = entry.Open();
        using var buffer = new MemoryStream();
        if (await ExpandedBytes.CopyAsync(content, buffer, 0, MaxManifestBytes, cancellationToken) is null)
            return null;
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static PackageCheck Corrupt(string name, Exception ex)
        => PackageCheck.Refused(PackageRefusalCode.Corrupt, $"Package '{name}' is not a readable NuGet package ({ex.Message}): the file is damaged, truncated or not a .nupkg. Download or copy it again.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module package {Path} refused ({Code}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, PackageRefusalCode code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Module package {Path} verified: {ModuleId} {Version}, signer {Signer}")]
    private static partial void LogAccepted(ILogger logger, string path, string moduleId, string version, string signer);
}
