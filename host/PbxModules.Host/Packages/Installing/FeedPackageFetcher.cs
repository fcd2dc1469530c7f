using PbxModules.Host.Packages.Feeds;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Modules;
using Semver;

namespace PbxModules.Host.Packages.Installing;

/// <summary>The versions of one module on the feeds, or why the feeds could not say.</summary>
internal sealed record FeedVersions(IReadOnlyList<FeedModuleVersion> Versions, PackageRefusal? Refusal);

/// <summary>
/// Reads the feeds for the installer: which versions of a module they offer, which of those this host
/// can run, and a version downloaded and verified. A feed that fails (network, bad source) becomes a
/// <see cref="PackageRefusalCode.FeedUnavailable"/> refusal naming it, never an exception.
/// </summary>
internal sealed partial class FeedPackageFetcher(IModuleFeeds feeds, IModulePackageVerifier verifier, IOptions<ModulePackageOptions> options, IOptions<PathsOptions> paths, ILogger<FeedPackageFetcher> logger)
{
    /// <summary>The folder feed used when <c>Modules:Sources</c> is empty.</summary>
    public const string DefaultFeedFolder = "feed";

    /// <summary>The sources the feeds read, as configured or the default folder feed, for messages.</summary>
    public string SourcesText
    {
        get
        {
            var sources = options.Value.Sources.Count > 0 ? options.Value.Sources : [Path.Combine(paths.Value.DataFullPath, DefaultFeedFolder)];
            return string.Join(", ", sources.Select(s => $"'{s}'"));
        }
    }

    /// <summary>The versions of <paramref name="id"/> the feeds offer, newest first.</summary>
    public async Task<FeedVersions> GetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return new(await feeds.GetVersionsAsync(id, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The feeds are another system (a folder, a server): whatever fails there is reported, not thrown.
            LogFeedFailed(logger, ex, id, SourcesText);
            return new([], new(PackageRefusalCode.FeedUnavailable, $"The module feeds ({SourcesText}) could not be read for '{id}': {ex.Message} Check Modules:Sources and that each feed is reachable."));
        }
    }

    /// <summary>
    /// The newest version of <paramref name="versions"/> this host can run (and in <paramref name="range"/> when given); null when none.
    /// Unlike the listing's <see cref="FeedCompatibility.NewestCompatible"/>, a version whose metadata does not say is a candidate:
    /// the manifest decides when it is verified.
    /// </summary>
    public static FeedModuleVersion? NewestCompatible(IReadOnlyList<FeedModuleVersion> versions, SemVersionRange? range = null)
        => versions.Where(v => FeedCompatibility.IsCompatible(v) != false && (range is null || range.Contains(v.Version)))
            .OrderByDescending(v => v.Version, SemVersion.PrecedenceComparer)
            .FirstOrDefault();

    /// <summary>A readable list of versions for messages (at most ten, newest first).</summary>
    public static string VersionsText(IReadOnlyList<FeedModuleVersion> versions)
    {
        var shown = versions.OrderByDescending(v => v.Version, SemVersion.PrecedenceComparer).Take(10).Select(v => v.Version.ToString()).ToList();
        return string.Join(", ", shown) + (versions.Count > shown.Count ? ", …" : "");
    }

    /// <summary>Downloads <paramref name="id"/> <paramref name="version"/> (the file is deleted with <paramref name="session"/>) and verifies it.</summary>
    public async Task<PackageCheck> FetchAsync(string id, SemVersion version, InstallSession session, CancellationToken cancellationToken)
    {
        string? file;
        try
        {
            file = await feeds.DownloadAsync(id, version, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFeedFailed(logger, ex, id, SourcesText);
            return PackageCheck.Refused(PackageRefusalCode.FeedUnavailable, $"'{id}' {version} could not be downloaded from the module feeds ({SourcesText}): {ex.Message} Check Modules:Sources and that each feed is reachable.");
        }
        if (file is null)
            return PackageCheck.Refused(PackageRefusalCode.NotFoundOnFeeds, $"No module feed ({SourcesText}) has '{id}' {version}. Publish it to a feed, or choose a version the feeds have.");
        session.AddDownload(file);

        var check = await VerifyAsync(file, $"feeds: {SourcesText}", session, cancellationToken);
        if (check.Package is not { } package) return check;
        // A feed answers for the id and version asked; a package that says otherwise is not the one asked for.
        if (!string.Equals(package.Id, id, StringComparison.OrdinalIgnoreCase))
            return PackageCheck.Refused(PackageRefusalCode.IdMismatch, $"The feeds gave package '{package.Id}' when asked for '{id}' {version}. Fix the feed: the package id must be the module id.");
        if (SemVersion.ComparePrecedence(package.Version, version) != 0)
            return PackageCheck.Refused(PackageRefusalCode.VersionMismatch, $"The feeds gave '{id}' {package.Version} when asked for {version}. Fix the feed: the package version must be the module version.");
        return check;
    }

    /// <summary>Verifies a package file; the package (when accepted) is closed with <paramref name="session"/>.</summary>
    /// <param name="file">The package file.</param>
    /// <param name="source">Where it came from, recorded with the installed module.</param>
    /// <param name="session">Closes the package when the request ends.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    public async Task<PackageCheck> VerifyAsync(string file, string source, InstallSession session, CancellationToken cancellationToken)
    {
        var check = await verifier.VerifyAsync(file, cancellationToken);
        if (check.Package is not { } package) return check;
        session.AddPackage(package);
        return PackageCheck.Accepted(new SourcedModulePackage(package, source));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The module feeds ({Sources}) failed for '{Id}'. Check Modules:Sources and that each feed is reachable.")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception, string id, string sources);
}
