using Semver;

namespace PbxModules.Host.Packages;

/// <summary>The module feeds of <c>Modules:Sources</c> (NuGet sources: a folder, a v3 index URL), read with NuGet.Protocol.</summary>
public interface IModuleFeeds
{
    /// <summary>Every module package id the feeds offer, with its versions (newest first). A feed that cannot be read is reported in <see cref="FeedListing.Problems"/>, not thrown.</summary>
    Task<FeedListing> ListAsync(CancellationToken cancellationToken);

    /// <summary>The versions of one module on the feeds (newest first); empty when no feed has it.</summary>
    Task<IReadOnlyList<FeedModuleVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Downloads one version to a local file the caller may read (and delete); null when no feed has it.</summary>
    Task<string?> DownloadAsync(string id, SemVersion version, CancellationToken cancellationToken);
}

/// <summary>What the feeds offer.</summary>
public sealed record FeedListing(IReadOnlyList<FeedModule> Modules, IReadOnlyList<string> Problems);

/// <summary>One module id on the feeds and its versions, newest first.</summary>
public sealed record FeedModule(string Id, IReadOnlyList<FeedModuleVersion> Versions);

/// <summary>One version of a module on a feed, with what its package metadata says (without downloading it).</summary>
/// <param name="Version">The version.</param>
/// <param name="SdkRange">The SDK range the module targets, from the package's metadata; null when the metadata does not say (the manifest decides at install).</param>
/// <param name="DependsOn">Module id → version range the module depends on, from the package's metadata.</param>
/// <param name="Source">The feed it was found on.</param>
public sealed record FeedModuleVersion(SemVersion Version, string? SdkRange, IReadOnlyDictionary<string, string> DependsOn, string Source);
