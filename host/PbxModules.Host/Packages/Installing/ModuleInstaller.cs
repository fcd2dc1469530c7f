using PbxModules.Host.Modules;
using Semver;

namespace PbxModules.Host.Packages.Installing;

/// <summary>
/// Turns an install or upgrade request (a package file, or <c>id[@version]</c> from the feeds) into
/// verified packages and hands them to the manager's transitions: the package and every dependency
/// it needs are downloaded and verified before anything installed is touched; then the dependencies
/// are installed first, in order, then the package. A refusal leaves nothing behind (downloads are
/// deleted, nothing is installed); the caller deletes its own file (an upload).
/// </summary>
/// <remarks>
/// A package file is named by the daemon itself (an upload it saved, a build's own feed), never by a
/// REST caller: a path from a caller would let it make the daemon read any file the daemon can read.
/// The CLI, which runs on the same machine, uploads the file instead.
/// </remarks>
internal sealed partial class ModuleInstaller
{
    private readonly FeedPackageFetcher _fetcher;
    private readonly DependencyPlanner _planner;
    private readonly IModuleInstallTransitions _transitions;
    private readonly IModuleRegistry _registry;
    private readonly ILogger<ModuleInstaller> _logger;

    public ModuleInstaller(FeedPackageFetcher fetcher, IModuleInstallTransitions transitions, IModuleRegistry registry, ILogger<ModuleInstaller> logger)
    {
        _fetcher = fetcher;
        _planner = new DependencyPlanner(fetcher, registry);
        _transitions = transitions;
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Installs the package at <paramref name="nupkgPath"/> (not deleted) with what it depends on; enables it unless <paramref name="enable"/> is false.</summary>
    public Task<ModuleInstallResult> InstallFileAsync(string nupkgPath, bool enable, CancellationToken cancellationToken)
        => RunAsync("install", null, async session =>
        {
            var check = await _fetcher.VerifyAsync(nupkgPath, "upload", session, cancellationToken);
            if (check.Package is not { } package) return Refuse(check.Refusal!);
            return NotInstalled(package.Id) ?? await InstallAsync(package, enable, session, cancellationToken);
        });

    /// <summary>Installs <paramref name="id"/> from the feeds: <paramref name="version"/>, or the newest one this host runs.</summary>
    public Task<ModuleInstallResult> InstallFromFeedsAsync(string id, SemVersion? version, bool enable, CancellationToken cancellationToken)
        => RunAsync("install", id, async session =>
        {
            if (NotInstalled(id) is { } installed) return installed;
            var feed = await _fetcher.GetVersionsAsync(id, cancellationToken);
            if (feed.Refusal is not null) return Refuse(feed.Refusal);
            if (Choose(id, version, feed.Versions) is not { } chosen) return Refuse(NotOnFeeds(id, version, feed.Versions));
            var check = await _fetcher.FetchAsync(id, chosen, session, cancellationToken);
            if (check.Package is not { } package) return Refuse(check.Refusal!);
            return await InstallAsync(package, enable, session, cancellationToken);
        });

    /// <summary>Upgrades <paramref name="id"/> to the package at <paramref name="nupkgPath"/> (not deleted); a lower version only with <paramref name="allowDowngrade"/>.</summary>
    public Task<ModuleInstallResult> UpgradeFileAsync(string id, string nupkgPath, bool allowDowngrade, CancellationToken cancellationToken)
        => RunAsync("upgrade", id, async session =>
        {
            if (Installed(id) is not ({ } module, { } current)) return NotInstalledRefusal(id);
            var check = await _fetcher.VerifyAsync(nupkgPath, "upload", session, cancellationToken);
            if (check.Package is not { } package) return Refuse(check.Refusal!, module);
            if (!string.Equals(package.Id, id, StringComparison.OrdinalIgnoreCase))
                return Refuse(new(PackageRefusalCode.IdMismatch, $"The package is module '{package.Id}', not '{id}'. Upgrade '{package.Id}' with it, or send a package of '{id}'."), module);
            return await UpgradeAsync(module, current, package, explicitVersion: true, allowDowngrade, session, cancellationToken);
        });

    /// <summary>Upgrades <paramref name="id"/> from the feeds: to <paramref name="version"/>, or to the newest version this host runs ("already at the newest" is done, not an error).</summary>
    public Task<ModuleInstallResult> UpgradeFromFeedsAsync(string id, SemVersion? version, bool allowDowngrade, CancellationToken cancellationToken)
        => RunAsync("upgrade", id, async session =>
        {
            if (Installed(id) is not ({ } module, { } current)) return NotInstalledRefusal(id);
            var feed = await _fetcher.GetVersionsAsync(id, cancellationToken);
            if (feed.Refusal is not null) return Refuse(feed.Refusal, module);
            if (Choose(id, version, feed.Versions) is not { } chosen) return Refuse(NotOnFeeds(id, version, feed.Versions), module);

            var order = SemVersion.ComparePrecedence(chosen, current);
            if (order == 0)
                return ModuleInstallResult.Done(version is null
                    ? $"Module '{id}' is already at {current}, the newest version on the feeds that SDK {ManifestValidator.HostSdkVersion} runs."
                    : $"Module '{id}' is already at {current}.", module);
            if (order < 0 && version is null)
                return ModuleInstallResult.Done($"Module '{id}' {current} is newer than the newest version on the feeds that SDK {ManifestValidator.HostSdkVersion} runs ({chosen}); nothing to do.", module);
            if (order < 0 && !allowDowngrade) return Refuse(DowngradeRefusal(id, current, chosen), module);

            var check = await _fetcher.FetchAsync(id, chosen, session, cancellationToken);
            if (check.Package is not { } package) return Refuse(check.Refusal!, module);
            return await UpgradeAsync(module, current, package, explicitVersion: version is not null, allowDowngrade, session, cancellationToken);
        });

    private async Task<ModuleInstallResult> RunAsync(string operation, string? id, Func<InstallSession, Task<ModuleInstallResult>> run)
    {
        ModuleInstallResult result;
        await using (var session = new InstallSession((path, ex) => LogDeleteFailed(_logger, ex, path)))
            result = await run(session);
        if (result.Status == ModuleInstallStatus.Done) LogDone(_logger, result.Message);
        else LogRefused(_logger, operation, id ?? result.Module?.Id ?? "(package)", result.Code?.ToString() ?? result.Status.ToString(), result.Message);
        return result;
    }

    private async Task<ModuleInstallResult> InstallAsync(IModulePackage package, bool enable, InstallSession session, CancellationToken cancellationToken)
    {
        var plan = await _planner.PlanAsync(package, session, cancellationToken);
        if (plan.Refusal is not null) return Refuse(plan.Refusal);
        var installed = await InstallDependenciesAsync(package.Id, plan, cancellationToken);
        if (installed.Failure is not null) return installed.Failure;

        var result = ModuleInstallResult.From(await _transitions.InstallAsync(package, enable, cancellationToken));
        return WithDependencies(result, installed.Ids);
    }

    private async Task<ModuleInstallResult> UpgradeAsync(ModuleInfo module, SemVersion current, IModulePackage package, bool explicitVersion, bool allowDowngrade, InstallSession session, CancellationToken cancellationToken)
    {
        var order = SemVersion.ComparePrecedence(package.Version, current);
        if (order == 0 && explicitVersion) return ModuleInstallResult.Done($"Module '{module.Id}' is already at {current}.", module);
        if (order < 0 && !allowDowngrade) return Refuse(DowngradeRefusal(module.Id, current, package.Version), module);

        var plan = await _planner.PlanAsync(package, session, cancellationToken);
        if (plan.Refusal is not null) return Refuse(plan.Refusal, module);
        var installed = await InstallDependenciesAsync(module.Id, plan, cancellationToken);
        if (installed.Failure is not null) return installed.Failure with { Module = module };

        var result = ModuleInstallResult.From(await _transitions.UpgradeAsync(module.Id, package, allowDowngrade, cancellationToken));
        return WithDependencies(result, installed.Ids);
    }

    private async Task<(IReadOnlyList<string> Ids, ModuleInstallResult? Failure)> InstallDependenciesAsync(string dependent, DependencyPlan plan, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        foreach (var dependency in plan.Packages)
        {
            // A dependency is installed enabled whatever the request says: what depends on it needs it running.
            var result = ModuleInstallResult.From(await _transitions.InstallAsync(dependency, enable: true, cancellationToken));
            if (result.Status != ModuleInstallStatus.Done)
            {
                var kept = done.Count == 0 ? "" : done.Count == 1
                    ? $" {done[0]} was installed before it and stays installed."
                    : $" {string.Join(", ", done)} were installed before it and stay installed.";
                return (done, result with
                {
                    Message = $"Dependency '{dependency.Id}' {dependency.Version} of '{dependent}' could not be installed: {result.Message}{kept} '{dependent}' was not changed.",
                    InstalledDependencies = done,
                });
            }
            done.Add($"{dependency.Id}@{dependency.Version}");
        }
        return (done, null);
    }

    private static ModuleInstallResult WithDependencies(ModuleInstallResult result, IReadOnlyList<string> dependencies)
    {
        if (dependencies.Count == 0) return result;
        var also = $"Installed its dependencies first: {string.Join(", ", dependencies)}.";
        return result with { Message = $"{result.Message} {also}", InstalledDependencies = dependencies };
    }

    // The version to take from the feeds: the one asked for if a feed has it, else the newest this host runs.
    private static SemVersion? Choose(string id, SemVersion? version, IReadOnlyList<FeedModuleVersion> versions)
        => version is null
            ? FeedPackageFetcher.NewestCompatible(versions)?.Version
            : versions.FirstOrDefault(v => SemVersion.ComparePrecedence(v.Version, version) == 0)?.Version;

    private PackageRefusal NotOnFeeds(string id, SemVersion? version, IReadOnlyList<FeedModuleVersion> versions)
        => new(PackageRefusalCode.NotFoundOnFeeds, (versions.Count, version) switch
        {
            (0, _) => $"No module feed ({_fetcher.SourcesText}) has '{id}'. Publish it to a feed (dotnet nuget push, or copy the .nupkg into a folder feed), or check the id and Modules:Sources.",
            (_, null) => $"The feeds have '{id}' {FeedPackageFetcher.VersionsText(versions)}, but none built for this host's SDK {ManifestValidator.HostSdkVersion}. Publish a version built against SDK {ManifestValidator.HostSdkVersion}.",
            _ => $"The feeds have '{id}' {FeedPackageFetcher.VersionsText(versions)}, not {version}. Choose one of those, or publish {version} to a feed.",
        });

    private ModuleInstallResult? NotInstalled(string id)
        => _registry.GetModule(id) is { } module
            ? Refuse(new(PackageRefusalCode.AlreadyInstalled, $"Module '{module.Id}' is already installed (version {module.Version}). Upgrade it instead (pbx-modules module upgrade {module.Id}, or POST /pbxcore/api/v3/modules/{module.Id}:upgrade)."), module)
            : null;

    private (ModuleInfo? Module, SemVersion? Version) Installed(string id)
    {
        var module = _registry.GetModule(id);
        return module is not null && SemVersion.TryParse(module.Version, SemVersionStyles.Strict, out var version) ? (module, version) : (null, null);
    }

    private ModuleInstallResult NotInstalledRefusal(string id)
        => Refuse(new(PackageRefusalCode.NotInstalled, _registry.GetModule(id) is { } broken
            ? $"Module '{id}' is installed but its version cannot be read ({broken.FailureReason}). Uninstall it and install the new version instead."
            : $"Module '{id}' is not installed. Install it instead (pbx-modules module install {id}, or POST /pbxcore/api/v3/modules:install)."), _registry.GetModule(id));

    private static PackageRefusal DowngradeRefusal(string id, SemVersion current, SemVersion target)
        => new(PackageRefusalCode.Downgrade, $"Module '{id}' is at {current}; {target} is older. Ask for the downgrade explicitly (allowDowngrade: true, or pbx-modules module upgrade {id} --version {target} --allow-downgrade) if that is what you want.");

    private static ModuleInstallResult Refuse(PackageRefusal refusal, ModuleInfo? module = null) => ModuleInstallResult.Refused(refusal, module);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogDone(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {Operation} of {Id} did not happen ({Code}): {Message}")]
    private static partial void LogRefused(ILogger logger, string operation, string id, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The downloaded package {Path} could not be deleted. Delete it by hand; it is not installed and nothing uses it.")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string path);
}
