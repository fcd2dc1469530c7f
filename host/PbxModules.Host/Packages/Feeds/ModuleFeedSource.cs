using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using PbxModules.Host.Configuration;
using Semver;
using INuGetLogger = NuGet.Common.ILogger;

namespace PbxModules.Host.Packages.Feeds;

/// <summary>One version of one module package as one feed offers it.</summary>
internal sealed record FeedPackage(string Id, FeedModuleVersion Version);

/// <summary>What one feed answered: its module packages, and the problems with single packages on it.</summary>
internal sealed record FeedAnswer(IReadOnlyList<FeedPackage> Packages, IReadOnlyList<string> Problems);

/// <summary>
/// One entry of <c>Modules:Sources</c>, read with NuGet.Protocol: a folder (flat *.nupkg, or the
/// id/version layout <c>dotnet nuget push</c> makes) or an http(s) v3 feed. A folder's packages are told
/// apart by their nuspec's package type; an http feed is asked for package type PbxModule by its search.
/// </summary>
internal sealed class ModuleFeedSource
{
    /// <summary>Search pages asked of an http feed, and how many module ids one feed may list at most.</summary>
    private const int PageSize = 100;
    internal const int MaxIds = 1000;

    private readonly SourceRepository _repository;

    private ModuleFeedSource(string name, string? folder, SourceRepository repository)
    {
        Name = name;
        Folder = folder;
        _repository = repository;
    }

    /// <summary>The source as configured (what messages name).</summary>
    public string Name { get; }

    /// <summary>The folder, for a folder feed; null for an http feed.</summary>
    public string? Folder { get; }

    /// <summary>A source from its configured text; null with the reason when it is neither a folder nor an http(s) URL.</summary>
    public static ModuleFeedSource? Create(string configured, out string? problem)
    {
        problem = null;
        var text = configured.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !Path.IsPathRooted(text))
        {
            if (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                return new(configured, null, Repository.Factory.GetCoreV3(new PackageSource(uri.AbsoluteUri)));
            if (!uri.IsFile)
            {
                problem = $"Feed '{configured}' is neither a folder nor an http(s) URL: use a folder path or a NuGet v3 index URL such as https://feed.example/v3/index.json in Modules:Sources.";
                return null;
            }
            text = uri.LocalPath;
        }
        var folder = PathsOptions.Resolve(text);
        return new(configured, folder, Repository.Factory.GetCoreV3(new PackageSource(folder)));
    }

    /// <summary>Every module package on the feed.</summary>
    public async Task<FeedAnswer> ListAsync(SourceCacheContext cache, INuGetLogger log, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (Folder is not null) return new(ReadFolder(null, log, problems, cancellationToken), problems);

        var ids = await SearchModuleIdsAsync(null, log, problems, cancellationToken);
        var packages = new List<FeedPackage>();
        foreach (var id in ids)
            packages.AddRange(await HttpVersionsAsync(id, cache, log, cancellationToken));
        return new(packages, problems);
    }

    /// <summary>The versions of one module on the feed.</summary>
    public async Task<FeedAnswer> GetVersionsAsync(string id, SourceCacheContext cache, INuGetLogger log, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (Folder is not null) return new(ReadFolder(id, log, problems, cancellationToken), problems);

        var ids = await SearchModuleIdsAsync(id, log, problems, cancellationToken);
        if (!ids.Contains(id, StringComparer.OrdinalIgnoreCase)) return new([], problems);
        return new(await HttpVersionsAsync(id, cache, log, cancellationToken), problems);
    }

    /// <summary>Copies one version's .nupkg into <paramref name="destination"/>; false when the feed does not have it.</summary>
    public async Task<bool> CopyAsync(string id, SemVersion version, Stream destination, SourceCacheContext cache, INuGetLogger log, CancellationToken cancellationToken)
    {
        if (Folder is not null) EnsureFolderExists();
        var find = await _repository.GetResourceAsync<FindPackageByIdResource>(cancellationToken)
            ?? throw new InvalidOperationException("it offers no package download (a NuGet v3 feed has a package base address)");
        return await find.CopyNupkgToStreamAsync(id, NuGetVersion.Parse(version.ToString()), destination, cache, log, cancellationToken);
    }

    // NuGet reads a missing folder as an empty feed: a mistyped path would list nothing without a word.
    private void EnsureFolderExists()
    {
        if (!Directory.Exists(Folder))
            throw new DirectoryNotFoundException(File.Exists(Folder) ? $"'{Folder}' is a file, not a folder" : $"the folder '{Folder}' does not exist");
    }

    /// <summary>
    /// The module packages of a folder feed (of one id, or all): every *.nupkg of the flat layout and of the
    /// id/version layout, each read by NuGet on its own, so that one unreadable file is a problem naming it and
    /// not the loss of the whole feed (NuGet's folder listing stops at the first).
    /// </summary>
    private List<FeedPackage> ReadFolder(string? id, INuGetLogger log, List<string> problems, CancellationToken cancellationToken)
    {
        EnsureFolderExists();
        var packages = new List<FeedPackage>();
        var layouts = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
        foreach (var file in Directory.EnumerateFiles(Folder!, "*" + PackagingCoreConstants.NupkgExtension, layouts).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.EndsWith(".symbols" + PackagingCoreConstants.NupkgExtension, StringComparison.OrdinalIgnoreCase)) continue;
            if (id is not null && !Path.GetFileName(file).StartsWith(id + ".", StringComparison.OrdinalIgnoreCase)) continue;
            NuspecReader nuspec;
            LocalPackageInfo? info;
            try
            {
                info = LocalFolderUtility.GetPackage(new Uri(file), log);
                if (info is null) continue;
                nuspec = info.Nuspec;
            }
            catch (Exception ex) when (ex is FatalProtocolException or InvalidDataException or IOException or PackagingException or System.Xml.XmlException or UnauthorizedAccessException)
            {
                problems.Add($"'{file}' on feed '{Name}' is not a readable package ({ex.GetBaseException().Message.TrimEnd('.')}): remove or replace it.");
                continue;
            }
            if (id is not null && !string.Equals(nuspec.GetId(), id, StringComparison.OrdinalIgnoreCase)) continue;
            if (!nuspec.GetPackageTypes().Any(t => string.Equals(t.Name, ModulePackageLayout.PackageType, StringComparison.OrdinalIgnoreCase))) continue;
            if (ToModuleVersion(nuspec.GetId(), info.Identity.Version, nuspec.GetTags()) is { } package) packages.Add(package);
        }
        return packages;
    }

    private async Task<List<string>> SearchModuleIdsAsync(string? id, INuGetLogger log, List<string> problems, CancellationToken cancellationToken)
    {
        var search = await _repository.GetResourceAsync<PackageSearchResource>(cancellationToken)
            ?? throw new InvalidOperationException("it offers no search service (a NuGet v3 feed lists its packages through one)");
        var filter = new SearchFilter(includePrerelease: true) { PackageType = ModulePackageLayout.PackageType };
        var ids = new List<string>();
        for (var skip = 0; ; skip += PageSize)
        {
            var page = (await search.SearchAsync(id is null ? string.Empty : $"packageid:{id}", filter, skip, PageSize, log, cancellationToken)).ToList();
            ids.AddRange(page.Select(p => p.Identity.Id).Where(i => !ids.Contains(i, StringComparer.OrdinalIgnoreCase)));
            if (page.Count < PageSize) return ids;
            if (ids.Count >= MaxIds)
            {
                problems.Add($"Feed '{Name}' offers more than {MaxIds} module packages; only the first {MaxIds} are listed. Split it into smaller feeds in Modules:Sources.");
                return ids;
            }
        }
    }

    private async Task<List<FeedPackage>> HttpVersionsAsync(string id, SourceCacheContext cache, INuGetLogger log, CancellationToken cancellationToken)
    {
        var metadata = await _repository.GetResourceAsync<PackageMetadataResource>(cancellationToken)
            ?? throw new InvalidOperationException("it offers no package metadata (a NuGet v3 feed has a registration service)");
        var versions = await metadata.GetMetadataAsync(id, includePrerelease: true, includeUnlisted: false, cache, log, cancellationToken);
        return [.. versions.Select(v => ToModuleVersion(v.Identity.Id, v.Identity.Version, v.Tags)).OfType<FeedPackage>()];
    }

    // A module version is SemVer 2.0 (the manifest's); a package version NuGet allows beyond it (1.0, 1.0.0.1) is no module's.
    private FeedPackage? ToModuleVersion(string id, NuGetVersion version, string? tags)
    {
        if (!SemVersion.TryParse(version.ToNormalizedString(), SemVersionStyles.Strict, out var semVersion)) return null;
        var (sdk, dependsOn) = ModulePackageTags.Parse(tags);
        return new(id, new FeedModuleVersion(semVersion, sdk, dependsOn, Name));
    }
}
