using PbxModules.Host.Modules;
using Semver;

namespace PbxModules.Host.Packages.Installing;

/// <summary>The dependencies to install before a package, in order, or why they cannot be.</summary>
/// <param name="Packages">Verified packages, each after the ones it depends on.</param>
/// <param name="Refusal">Why not; null when every dependency is installed or planned.</param>
internal sealed record DependencyPlan(IReadOnlyList<IModulePackage> Packages, PackageRefusal? Refusal);

/// <summary>
/// Works out, before anything is installed, what a package's <c>dependsOn</c> needs: every dependency
/// installed and enabled in a version its range accepts (ranges as the host checks them at start,
/// <see cref="DependencyResolver"/>), or else the newest version on the feeds that the range accepts
/// and this host's SDK runs, downloaded and verified, and its own dependencies the same way. A cycle
/// (through new or installed modules) and a dependency nobody has are refused, naming them.
/// </summary>
internal sealed class DependencyPlanner(FeedPackageFetcher fetcher, IModuleRegistry registry)
{
    /// <summary>
    /// The most modules one request may bring in besides the package: each is a download of up to
    /// Modules:MaxPackageBytes kept until the install, so a feed's graph must not fill the disk.
    /// </summary>
    public const int MaxNewDependencies = 32;

    /// <summary>Plans the dependencies of <paramref name="root"/>; downloads go into <paramref name="session"/>.</summary>
    public async Task<DependencyPlan> PlanAsync(IModulePackage root, InstallSession session, CancellationToken cancellationToken)
    {
        var walk = new Walk(root.Id, session);
        var refusal = await VisitAsync(walk, root.Id, root.Manifest.DependsOn, cancellationToken);
        return new DependencyPlan(refusal is null ? walk.Order : [], refusal);
    }

    private async Task<PackageRefusal?> VisitAsync(Walk walk, string dependent, IReadOnlyDictionary<string, string>? dependsOn, CancellationToken cancellationToken)
    {
        walk.Path.Add(dependent);
        foreach (var (id, rangeText) in (dependsOn ?? new Dictionary<string, string>()).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var refusal = await VisitDependencyAsync(walk, dependent, id, rangeText, cancellationToken);
            if (refusal is not null) return refusal;
        }
        walk.Path.RemoveAt(walk.Path.Count - 1);
        return null;
    }

    private async Task<PackageRefusal?> VisitDependencyAsync(Walk walk, string dependent, string id, string rangeText, CancellationToken cancellationToken)
    {
        if (!SemVersionRange.TryParseNpm(rangeText, out var range))
            return new(PackageRefusalCode.InvalidManifest, $"Module '{dependent}' depends on '{id}' '{rangeText}', which is not a valid SemVer range. Ask its author for a package with a range such as '^1.0.0'.");

        var onPath = walk.Path.FindIndex(p => string.Equals(p, id, StringComparison.OrdinalIgnoreCase));
        if (onPath >= 0)
        {
            var cycle = string.Join(" → ", walk.Path.Skip(onPath).Append(id));
            return new(PackageRefusalCode.DependencyCycle, $"Module '{walk.Root}' cannot be installed: dependency cycle {cycle}. Modules must not depend on each other in a loop; ask their authors to break it.");
        }

        // Seen before in this walk (a diamond): already checked, only the range is new.
        if (walk.Chosen.TryGetValue(id, out var chosen))
        {
            return range.Contains(chosen.Version) ? null
                : new(PackageRefusalCode.MissingDependency, $"Module '{dependent}' needs '{id}' {rangeText}, but {id} {chosen.Version} is {(chosen.Installed ? "installed" : "what the other modules of this install need")}. Install versions whose dependencies agree.");
        }

        if (registry.GetModule(id) is { } installed)
            return await VisitInstalledAsync(walk, dependent, id, rangeText, range, installed, cancellationToken);

        if (walk.Order.Count >= MaxNewDependencies)
            return new(PackageRefusalCode.MissingDependency, $"Module '{walk.Root}' needs more than {MaxNewDependencies} modules that are not installed. Install some of its dependencies first, then install it.");

        var feed = await fetcher.GetVersionsAsync(id, cancellationToken);
        if (feed.Refusal is not null) return feed.Refusal;
        if (FeedPackageFetcher.NewestCompatible(feed.Versions, range) is not { } candidate)
            return new(PackageRefusalCode.MissingDependency, MissingMessage(dependent, id, rangeText, feed.Versions));

        var check = await fetcher.FetchAsync(id, candidate.Version, walk.Session, cancellationToken);
        if (check.Package is not { } package)
            return new(check.Refusal!.Code, $"Dependency '{id}' {candidate.Version} of '{dependent}' was refused: {check.Refusal.Message}");

        walk.Chosen[id] = (package.Version, false);
        var below = await VisitAsync(walk, id, package.Manifest.DependsOn, cancellationToken);
        if (below is not null) return below;
        // After its own dependencies: the order to install in.
        walk.Order.Add(package);
        return null;
    }

    private async Task<PackageRefusal?> VisitInstalledAsync(Walk walk, string dependent, string id, string rangeText, SemVersionRange range, ModuleInfo installed, CancellationToken cancellationToken)
    {
        if (installed.State != ModuleState.Enabled)
        {
            var why = installed.State == ModuleState.Failed ? $"failed ({installed.FailureReason})" : "disabled";
            return new(PackageRefusalCode.MissingDependency, $"Module '{dependent}' needs '{id}' {rangeText}, which is installed but {why}. Enable '{id}' first (pbx-modules module enable {id}), then install again.");
        }
        if (!SemVersion.TryParse(installed.Version, SemVersionStyles.Strict, out var version) || !range.Contains(version))
            return new(PackageRefusalCode.MissingDependency, $"Module '{dependent}' needs '{id}' {rangeText}, but {id} {installed.Version} is installed. Upgrade '{id}' to a version matching {rangeText} first (pbx-modules module upgrade {id}), then install again.");

        walk.Chosen[id] = (version, true);
        // An installed module's own dependencies are installed (it is enabled); walking them finds a
        // cycle that closes through it, e.g. an upgrade of a to a version that needs b, which needs a.
        var manifest = registry.EnabledModules.FirstOrDefault(m => m.Id == id)?.Context.Manifest;
        return await VisitAsync(walk, id, manifest?.DependsOn, cancellationToken);
    }

    private string MissingMessage(string dependent, string id, string rangeText, IReadOnlyList<FeedModuleVersion> versions)
    {
        var offered = versions.Count == 0
            ? "which is not installed and no feed has"
            : $"which is not installed; the feeds have {FeedPackageFetcher.VersionsText(versions)}, none both matching {rangeText} and built for SDK {ManifestValidator.HostSdkVersion}";
        return $"Module '{dependent}' needs '{id}' {rangeText}, {offered} (feeds looked in: {fetcher.SourcesText}). Publish a matching version of '{id}' to a feed, or install it first.";
    }

    private sealed class Walk(string root, InstallSession session)
    {
        public string Root { get; } = root;

        public InstallSession Session { get; } = session;

        /// <summary>The modules from the package down to the one being visited: a dependency on one of them is a cycle.</summary>
        public List<string> Path { get; } = [];

        /// <summary>Every dependency met so far, with the version it resolved to and whether it is installed.</summary>
        public Dictionary<string, (SemVersion Version, bool Installed)> Chosen { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<IModulePackage> Order { get; } = [];
    }
}
