using PbxModules.Host.Auth;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Feeds;
using PbxModules.Sdk.Rest;
using Semver;

namespace PbxModules.Host.Rest;

/// <summary>
/// <c>GET /pbxcore/api/v3/modules:available</c>: what the feeds of <c>Modules:Sources</c> offer, per module id:
/// its versions (newest first), the newest one this host's SDK runs, the installed version and whether that
/// one is an update. A feed that cannot be read is named in <c>problems</c> (and the envelope's warnings); the
/// others are listed all the same.
/// </summary>
internal static class ModulesAvailableEndpoint
{
    /// <summary>Maps the endpoint under <paramref name="api"/> (the <c>/pbxcore/api/v3</c> group). Its one segment, <c>modules:available</c>, never matches <c>modules/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapModulesAvailableEndpoint(this IEndpointRouteBuilder api)
    {
        api.MapGet("modules:available", async (IModuleFeeds feeds, IModuleRegistry registry, CancellationToken ct) =>
            {
                var listing = await feeds.ListAsync(ct);
                var result = PbxApiResult.Ok(Build(listing, registry, ManifestValidator.HostSdkVersion));
                return (listing.Problems.Count > 0 ? result.WithWarnings(listing.Problems) : result).ToHttpResult();
            })
            .RequireAuthorization(Permissions.Policy(Permissions.ModulesRead))
            .WithTags("Modules")
            .WithSummary("Lists the modules the feeds (Modules:Sources) offer: versions newest first, the newest compatible with this host's SDK, the installed version and whether an update is available; feeds that could not be read in problems.");
        return api;
    }

    /// <summary>The answer for a listing, against the installed modules and this host's SDK.</summary>
    internal static AvailableModules Build(FeedListing listing, IModuleRegistry registry, SemVersion hostSdk)
    {
        var modules = listing.Modules.Select(module =>
        {
            var newest = FeedCompatibility.NewestCompatible(module.Versions, hostSdk);
            var installed = registry.GetModule(module.Id) is { } info ? info.Version ?? info.InstalledVersion : null;
            var update = newest is not null && installed is not null && SemVersion.TryParse(installed, SemVersionStyles.Strict, out var current)
                && SemVersion.ComparePrecedence(newest.Version, current) > 0;
            return new AvailableModule(
                module.Id,
                [.. module.Versions.Select(v => new AvailableVersion(v.Version.ToString(), v.SdkRange, FeedCompatibility.IsCompatible(v, hostSdk), v.DependsOn, v.Source))],
                newest?.Version.ToString(),
                installed,
                update);
        }).ToList();
        return new AvailableModules(modules, listing.Problems, hostSdk.ToString());
    }
}

/// <summary>The <c>data</c> of <c>GET /modules:available</c>.</summary>
/// <param name="Modules">One entry per module id on the feeds, by id.</param>
/// <param name="Problems">Feeds (or packages on them) that could not be read, each message naming it.</param>
/// <param name="HostSdk">The SDK version compatibility was judged against.</param>
internal sealed record AvailableModules(IReadOnlyList<AvailableModule> Modules, IReadOnlyList<string> Problems, string HostSdk);

/// <summary>One module id on the feeds.</summary>
/// <param name="Id">The module id (package id).</param>
/// <param name="Versions">Newest first.</param>
/// <param name="NewestCompatible">The newest version whose sdk range this host satisfies; null when none.</param>
/// <param name="InstalledVersion">The installed version; null when not installed.</param>
/// <param name="UpdateAvailable">True when installed and <paramref name="NewestCompatible"/> is newer.</param>
internal sealed record AvailableModule(string Id, IReadOnlyList<AvailableVersion> Versions, string? NewestCompatible, string? InstalledVersion, bool UpdateAvailable);

/// <summary>One version on a feed.</summary>
/// <param name="Version">The version.</param>
/// <param name="Sdk">The SDK range from the package metadata; null when it does not say.</param>
/// <param name="Compatible">Whether this host's SDK is in that range; null when unknown.</param>
/// <param name="DependsOn">Module id → version range.</param>
/// <param name="Source">The feed it is listed (and downloaded) from.</param>
internal sealed record AvailableVersion(string Version, string? Sdk, bool? Compatible, IReadOnlyDictionary<string, string> DependsOn, string Source);
