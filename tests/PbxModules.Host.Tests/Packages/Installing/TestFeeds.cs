using PbxModules.Host.Packages;
using Semver;

namespace PbxModules.Host.Tests.Packages.Installing;

/// <summary>
/// Feeds for the installer's tests (the real ones have their own tests): versions in memory, and a
/// download that writes the version's <see cref="TestPackageSpec"/> to a real file in <see cref="Directory"/>,
/// so a test can check that every download was deleted.
/// </summary>
public sealed class TestFeeds(string directory) : IModuleFeeds
{
    private readonly Dictionary<string, List<(FeedModuleVersion Version, TestPackageSpec Spec)>> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _downloads = [];

    /// <summary>Where downloads are written.</summary>
    public string Directory { get; } = directory;

    /// <summary>When set, every call throws it (a feed that cannot be reached).</summary>
    public Exception? Failure { get; set; }

    /// <summary>Every id@version downloaded, in order.</summary>
    public IReadOnlyList<string> Downloads { get { lock (_downloads) return [.. _downloads]; } }

    /// <summary>Offers <paramref name="spec"/>; <paramref name="sdkRange"/> is what its metadata says of the SDK.</summary>
    public TestFeeds Add(TestPackageSpec spec, string? sdkRange = null)
    {
        if (!_modules.TryGetValue(spec.Id, out var versions)) _modules[spec.Id] = versions = [];
        versions.Add((new FeedModuleVersion(SemVersion.Parse(spec.Version, SemVersionStyles.Strict), sdkRange, spec.DependsOn ?? [], "test-feed"), spec));
        return this;
    }

    public Task<FeedListing> ListAsync(CancellationToken cancellationToken)
        => Task.FromResult(new FeedListing([.. _modules.Select(m => new FeedModule(m.Key, Newest(m.Value)))], []));

    public Task<IReadOnlyList<FeedModuleVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        if (Failure is not null) throw Failure;
        return Task.FromResult<IReadOnlyList<FeedModuleVersion>>(_modules.TryGetValue(id, out var versions) ? Newest(versions) : []);
    }

    public Task<string?> DownloadAsync(string id, SemVersion version, CancellationToken cancellationToken)
    {
        if (Failure is not null) throw Failure;
        if (!_modules.TryGetValue(id, out var versions) || versions.FirstOrDefault(v => v.Version.Version == version).Spec is not { } spec)
            return Task.FromResult<string?>(null);
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, $"{id}.{version}.{Guid.NewGuid():N}.nupkg");
        spec.WriteTo(path);
        lock (_downloads) _downloads.Add($"{id}@{version}");
        return Task.FromResult<string?>(path);
    }

    private static List<FeedModuleVersion> Newest(List<(FeedModuleVersion Version, TestPackageSpec Spec)> versions)
        => [.. versions.Select(v => v.Version).OrderByDescending(v => v.Version, SemVersion.PrecedenceComparer)];
}
