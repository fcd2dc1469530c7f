using Microsoft.Extensions.Options;
using NuGet.Protocol.Core.Types;
using PbxModules.Host.Configuration;
using PbxModules.Host.Modules;
using PbxModules.Host.Text;
using Semver;

namespace PbxModules.Host.Packages.Feeds;

/// <summary>
/// The feeds of <c>Modules:Sources</c> (default: one folder, <c>&lt;Paths:Data&gt;/feed</c>, created when
/// missing), read with NuGet.Protocol. Every feed is asked at once; one that cannot be read is a problem
/// of the answer (naming the feed), never an exception, and the others are listed all the same.
/// Nothing is cached between calls: an administrator who just pushed a package sees it at the next one.
/// </summary>
public sealed partial class ModuleFeeds : IModuleFeeds
{
    /// <summary>The folder feed used when <c>Modules:Sources</c> is empty, under the data folder.</summary>
    public const string DefaultFeedFolder = "feed";

    /// <summary>Where downloads go, under the data folder (the caller deletes a file once installed).</summary>
    public const string DownloadFolder = "downloads";

    private readonly ModulePackageOptions _options;
    private readonly PathsOptions _paths;
    private readonly ILogger<ModuleFeeds> _logger;
    private readonly NuGetLogger _nugetLogger;

    public ModuleFeeds(IOptions<ModulePackageOptions> options, IOptions<PathsOptions> paths, ILogger<ModuleFeeds> logger)
    {
        _options = options.Value;
        _paths = paths.Value;
        _logger = logger;
        _nugetLogger = new NuGetLogger(logger);
    }

    /// <summary>The default feed folder for these paths.</summary>
    public static string DefaultFeedPath(PathsOptions paths) => Path.Combine(paths.DataFullPath, DefaultFeedFolder);

    /// <inheritdoc/>
    public async Task<FeedListing> ListAsync(CancellationToken cancellationToken)
    {
        var answers = await AskEveryFeedAsync((source, cache) => source.ListAsync(cache, _nugetLogger, cancellationToken), cancellationToken);
        var modules = answers.Packages
            .GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
            .Select(g => new FeedModule(g.First().Id, NewestFirst(g)))
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        return new FeedListing(modules, answers.Problems);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<FeedModuleVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        // An id goes into feed URLs and file names: anything but a module id is on no feed.
        if (!ManifestValidator.IsModuleId(id)) return [];
        var answers = await AskEveryFeedAsync((source, cache) => source.GetVersionsAsync(id, cache, _nugetLogger, cancellationToken), cancellationToken);
        return NewestFirst(answers.Packages.Where(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)));
    }

    /// <inheritdoc/>
    /// <exception cref="ModuleFeedException">The package is larger than <c>Modules:MaxPackageBytes</c>, no feed that answered has it and another could not be read, or the id is no module id.</exception>
    public async Task<string?> DownloadAsync(string id, SemVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        // The id names the downloaded file and goes into feed URLs: a path or a query in it must reach neither.
        if (!ManifestValidator.IsModuleId(id))
            throw new ModuleFeedException(PackageRefusalCode.NotFoundOnFeeds, $"'{id}' is not a module id (kebab-case: lower-case letters and digits separated by single dashes, e.g. 'module-black-list'), so no feed has it.");
        var folder = Path.Combine(_paths.DataFullPath, DownloadFolder);
        Directory.CreateDirectory(folder);
        var unreadable = new List<string>();
        using var cache = NewCache();
        // In Sources order: the first feed that has the version serves it (as the listing shows that feed).
        foreach (var source in Sources(unreadable))
        {
            // The file name is the caller's to read; a random part keeps two downloads of one version apart.
            var path = Path.Combine(folder, $"{id}.{version}.{Guid.NewGuid():N}.nupkg");
            var found = false;
            try
            {
                await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    var bounded = new BoundedWriteStream(file, _options.MaxPackageBytes);
                    found = await source.CopyAsync(id, version, bounded, cache, _nugetLogger, cancellationToken);
                }
                if (found)
                {
                    LogDownloaded(_logger, id, version.ToString(), source.Name, path);
                    return path;
                }
            }
            catch (Exception ex) when (IsTooLarge(ex))
            {
                LogDownloadTooLarge(_logger, id, version.ToString(), source.Name, _options.MaxPackageBytes);
                throw new ModuleFeedException(PackageRefusalCode.TooLarge,
                    $"Package {id} {version} on feed '{source.Name}' is larger than Modules:MaxPackageBytes ({_options.MaxPackageBytes} bytes); its download was stopped. Raise Modules:MaxPackageBytes if the package is trusted.", ex);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsFeedFailure(ex))
            {
                unreadable.Add(FeedProblem(source.Name, ex));
            }
            finally
            {
                if (!found) File.Delete(path);
            }
        }
        if (unreadable.Count == 0) return null;
        foreach (var problem in unreadable) LogFeedUnreadable(_logger, problem);
        throw new ModuleFeedException(PackageRefusalCode.FeedUnavailable,
            Sentences.Join([$"Package {id} {version} was not found on the feeds that answered", .. unreadable]));
    }

    private async Task<(List<FeedPackage> Packages, List<string> Problems)> AskEveryFeedAsync(Func<ModuleFeedSource, SourceCacheContext, Task<FeedAnswer>> ask, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var sources = Sources(problems);
        using var cache = NewCache();
        var answers = await Task.WhenAll(sources.Select(async source =>
        {
            try
            {
                return await ask(source, cache);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsFeedFailure(ex))
            {
                return new FeedAnswer([], [FeedProblem(source.Name, ex)]);
            }
        }));
        // Sources order: the first feed to offer a version is the one it is listed (and downloaded) from.
        var packages = answers.SelectMany(a => a.Packages).ToList();
        problems.AddRange(answers.SelectMany(a => a.Problems));
        foreach (var problem in problems) LogFeedUnreadable(_logger, problem);
        return (packages, problems);
    }

    private List<ModuleFeedSource> Sources(List<string> problems)
    {
        if (_options.Sources.Count == 0)
        {
            var folder = DefaultFeedPath(_paths);
            Directory.CreateDirectory(folder);
            return [ModuleFeedSource.Create(folder, out _)!];
        }
        var sources = new List<ModuleFeedSource>();
        foreach (var configured in _options.Sources)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                problems.Add("Modules:Sources has an empty entry: remove it, or give a folder path or a NuGet v3 index URL.");
                continue;
            }
            if (ModuleFeedSource.Create(configured, out var problem) is { } source) sources.Add(source);
            else problems.Add(problem!);
        }
        return sources;
    }

    private static IReadOnlyList<FeedModuleVersion> NewestFirst(IEnumerable<FeedPackage> packages)
        => [.. packages
            .Select(p => p.Version)
            .DistinctBy(v => v.Version.ToString())
            .OrderByDescending(v => v.Version, SemVersion.PrecedenceComparer)];

    // No http cache on disk: the daemon's user may have no home, and a listing must show what the feed has now.
    private static SourceCacheContext NewCache() => new() { NoCache = true, DirectDownload = true };

    private static string FeedProblem(string source, Exception ex)
        => Sentences.Join($"Feed '{source}' could not be read: {Reasons(ex)}", "Check Modules:Sources: a folder that exists, or a NuGet v3 index URL such as https://feed.example/v3/index.json");

    // NuGet wraps the cause (connection refused, 404, bad JSON) in "Unable to load the service index…": both say something.
    private static string Reasons(Exception ex)
    {
        var reasons = new List<string>();
        for (var e = ex; e is not null && reasons.Count < 4; e = e.InnerException)
        {
            var text = e.Message.Trim().TrimEnd('.');
            if (text.Length > 0 && !reasons.Contains(text, StringComparer.Ordinal)) reasons.Add(text);
        }
        return string.Join(": ", reasons);
    }

    private static bool IsTooLarge(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is BoundedWriteStream.PackageTooLargeException) return true;
        return false;
    }

    // What a feed throws when it cannot be read; a bug of this code (a null, an argument) is not a feed's problem.
    private static bool IsFeedFailure(Exception ex)
        => ex is not (ArgumentException or NullReferenceException or ObjectDisposedException or OutOfMemoryException);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Problem} Modules available from the other feeds are still listed.")]
    private static partial void LogFeedUnreadable(ILogger logger, string problem);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Downloaded module package {Id} {Version} from feed '{Source}' to {Path}.")]
    private static partial void LogDownloaded(ILogger logger, string id, string version, string source, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Stopped the download of module package {Id} {Version} from feed '{Source}': it is larger than Modules:MaxPackageBytes ({Limit} bytes). Raise the limit if the package is trusted.")]
    private static partial void LogDownloadTooLarge(ILogger logger, string id, string version, string source, long limit);
}
