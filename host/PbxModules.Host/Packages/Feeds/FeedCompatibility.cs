using PbxModules.Host.Modules;
using Semver;

namespace PbxModules.Host.Packages.Feeds;

/// <summary>Which versions on the feeds this host can run, from their package metadata alone (no download).</summary>
public static class FeedCompatibility
{
    /// <summary>
    /// True when the version's sdk range contains <paramref name="hostSdk"/> (default: this host's SDK), false when it
    /// does not or is no valid range, null when the package metadata does not say (the manifest decides at install).
    /// </summary>
    public static bool? IsCompatible(FeedModuleVersion version, SemVersion? hostSdk = null)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.SdkRange is null) return null;
        return SemVersionRange.TryParseNpm(version.SdkRange, out var range) && range.Contains(hostSdk ?? ManifestValidator.HostSdkVersion);
    }

    /// <summary>The newest version known to be compatible (a prerelease only when nothing newer is); null when none is.</summary>
    public static FeedModuleVersion? NewestCompatible(IEnumerable<FeedModuleVersion> versions, SemVersion? hostSdk = null)
        => versions.Where(v => IsCompatible(v, hostSdk) == true).OrderByDescending(v => v.Version, SemVersion.PrecedenceComparer).FirstOrDefault();
}
