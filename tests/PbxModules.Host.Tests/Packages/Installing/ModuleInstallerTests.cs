using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Installing;
using Semver;

namespace PbxModules.Host.Tests.Packages.Installing;

/// <summary>
/// The installer's orchestration with test feeds, verifier and transitions (real files for every
/// package): what is installed, in which order, and that a refusal installs nothing and leaves no download.
/// </summary>
public sealed class ModuleInstallerTests : IDisposable
{
    private static readonly string Sdk = "^" + ManifestValidator.HostSdkVersion;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pbxmodules-installer-tests", Guid.NewGuid().ToString("N"));
    private readonly TestModuleRegistry _registry = new();
    private readonly TestPackageVerifier _verifier = new();
    private readonly TestFeeds _feeds;
    private readonly TestInstallTransitions _transitions;
    private readonly ModuleInstaller _installer;

    public ModuleInstallerTests()
    {
        _feeds = new TestFeeds(Path.Combine(_root, "downloads"));
        _transitions = new TestInstallTransitions(_registry);
        var paths = new PathsOptions { Data = Path.Combine(_root, "data") };
        var fetcher = new FeedPackageFetcher(_feeds, _verifier, Options.Create(new ModulePackageOptions()), Options.Create(paths), NullLogger<FeedPackageFetcher>.Instance);
        _installer = new ModuleInstaller(fetcher, _transitions, _registry, NullLogger<ModuleInstaller>.Instance);
    }

    private string DefaultFeed => Path.Combine(_root, "data", "feed");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Dependencies_are_installed_first_in_order_each_the_newest_version_its_range_accepts_and_the_SDK_runs()
    {
        // a needs b ^1 and c ^2; b needs c ^2. c 2.1.0 is built for another SDK, b 2.0.0 is outside ^1.
        _feeds.Add(new("a", "1.0.0", new() { ["b"] = "^1.0.0", ["c"] = "^2.0.0" }))
            .Add(new("b", "1.0.0", new() { ["c"] = "^2.0.0" })).Add(new("b", "1.1.0", new() { ["c"] = "^2.0.0" })).Add(new("b", "2.0.0"))
            .Add(new("c", "2.0.0"), Sdk).Add(new("c", "2.1.0"), ">=99.0.0");

        var result = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);

        Assert.True(result.Status == ModuleInstallStatus.Done, result.Message);
        Assert.Equal(["install c@2.0.0 enable=True", "install b@1.1.0 enable=True", "install a@1.0.0 enable=True"], _transitions.Calls);
        Assert.Equal(["c@2.0.0", "b@1.1.0"], result.InstalledDependencies);
        Assert.Contains("c@2.0.0, b@1.1.0", result.Message, StringComparison.Ordinal);
        Assert.Equal("a", result.Module!.Id);
        AssertNothingLeft();
        Assert.All(_verifier.Opened, p => Assert.True(p.Disposed));
    }

    [Fact]
    public async Task A_dependency_cycle_is_refused_naming_the_cycle_and_nothing_is_installed()
    {
        _feeds.Add(new("a", "1.0.0", new() { ["b"] = "^1.0.0" })).Add(new("b", "1.0.0", new() { ["c"] = "^1.0.0" })).Add(new("c", "1.0.0", new() { ["a"] = "^1.0.0" }));

        var result = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);

        Assert.Equal(ModuleInstallStatus.Refused, result.Status);
        Assert.Equal(PackageRefusalCode.DependencyCycle, result.Code);
        Assert.Contains("a → b → c → a", result.Message, StringComparison.Ordinal);
        Assert.Empty(_transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_missing_dependency_is_refused_naming_it_its_range_and_the_feeds_looked_in()
    {
        _feeds.Add(new("a", "1.0.0", new() { ["b"] = "^1.0.0", ["x"] = "^3.0.0" })).Add(new("b", "1.0.0")).Add(new("x", "2.0.0"));

        var result = await _installer.InstallFromFeedsAsync("a", SemVersion.Parse("1.0.0", SemVersionStyles.Strict), enable: true, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.MissingDependency, result.Code);
        Assert.Contains("'x' ^3.0.0", result.Message, StringComparison.Ordinal);
        Assert.Contains("the feeds have 2.0.0", result.Message, StringComparison.Ordinal);
        Assert.Contains(DefaultFeed, result.Message, StringComparison.Ordinal);
        // b was downloaded and verified before x was found missing: nothing installed, its download deleted.
        Assert.Contains("b@1.0.0", _feeds.Downloads);
        Assert.Empty(_transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task Every_dependency_is_verified_before_anything_is_installed()
    {
        _feeds.Add(new("a", "1.0.0", new() { ["b"] = "^1.0.0", ["c"] = "^1.0.0" })).Add(new("b", "1.0.0")).Add(new("c", "1.0.0", Refusal: PackageRefusalCode.UnknownSigner));

        var result = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.UnknownSigner, result.Code);
        Assert.StartsWith("Dependency 'c' 1.0.0 of 'a' was refused: ", result.Message, StringComparison.Ordinal);
        Assert.Equal(["a@1.0.0", "b@1.0.0", "c@1.0.0"], _verifier.Verified);
        Assert.Empty(_transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task An_installed_enabled_dependency_in_range_is_used_and_one_out_of_range_or_disabled_is_refused_saying_what_to_do()
    {
        _feeds.Add(new("a", "1.0.0", new() { ["b"] = "^1.2.0" })).Add(new("b", "1.5.0"));
        _registry.Set(TestModuleRegistry.Info("b", "1.3.0"));

        var used = await _installer.InstallFromFeedsAsync("a", null, enable: false, CancellationToken.None);
        Assert.True(used.Status == ModuleInstallStatus.Done, used.Message);
        Assert.Equal(["install a@1.0.0 enable=False"], _transitions.Calls);
        Assert.DoesNotContain("b@1.5.0", _feeds.Downloads);

        _feeds.Add(new("d", "1.0.0", new() { ["b"] = "^2.0.0" }));
        var tooOld = await _installer.InstallFromFeedsAsync("d", null, enable: true, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.MissingDependency, tooOld.Code);
        Assert.Contains("b 1.3.0 is installed. Upgrade 'b'", tooOld.Message, StringComparison.Ordinal);

        _registry.Set(TestModuleRegistry.Info("b", "2.0.0", ModuleState.Disabled));
        var disabled = await _installer.InstallFromFeedsAsync("d", null, enable: true, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.MissingDependency, disabled.Code);
        Assert.Contains("installed but disabled. Enable 'b' first", disabled.Message, StringComparison.Ordinal);
        Assert.Single(_transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_file_is_verified_in_place_and_kept_for_its_owner_and_its_dependencies_come_from_the_feeds()
    {
        _feeds.Add(new("b", "1.0.0"));
        var file = Path.Combine(_root, "a.nupkg");
        Directory.CreateDirectory(_root);
        new TestPackageSpec("a", "1.0.0", new() { ["b"] = "^1.0.0" }).WriteTo(file);

        var result = await _installer.InstallFileAsync(file, enable: true, CancellationToken.None);

        Assert.True(result.Status == ModuleInstallStatus.Done, result.Message);
        Assert.Equal(["install b@1.0.0 enable=True", "install a@1.0.0 enable=True"], _transitions.Calls);
        Assert.True(File.Exists(file), "the caller's file is the caller's to delete");
        AssertNothingLeft();
    }

    [Fact]
    public async Task Installing_what_is_installed_is_refused_before_any_download()
    {
        _feeds.Add(new("a", "1.0.0"));
        _registry.Set(TestModuleRegistry.Info("a", "0.9.0"));

        var result = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.AlreadyInstalled, result.Code);
        Assert.Contains("pbx-modules module upgrade a", result.Message, StringComparison.Ordinal);
        Assert.Empty(_feeds.Downloads);
    }

    [Fact]
    public async Task A_failing_dependency_install_stops_there_says_what_stays_and_leaves_the_package_uninstalled()
    {
        _feeds.Add(new("a", "1.0.0", new() { ["b"] = "^1.0.0", ["c"] = "^1.0.0" })).Add(new("b", "1.0.0")).Add(new("c", "1.0.0"));
        _transitions.FailingIds.Add("c");

        var result = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);

        Assert.Equal(ModuleInstallStatus.Failed, result.Status);
        Assert.Null(result.Code);
        Assert.Equal("Dependency 'c' 1.0.0 of 'a' could not be installed: Module 'c' could not be installed: its install hook threw. b@1.0.0 was installed before it and stays installed. 'a' was not changed.", result.Message);
        Assert.Equal(["install b@1.0.0 enable=True", "install c@1.0.0 enable=True"], _transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task A_feed_that_cannot_be_read_is_FeedUnavailable_with_its_error()
    {
        _feeds.Failure = new HttpRequestException("Connection refused (feed.example:443)");

        var result = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.FeedUnavailable, result.Code);
        Assert.Contains("Connection refused (feed.example:443)", result.Message, StringComparison.Ordinal);
        Assert.Contains("Modules:Sources", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_module_no_feed_has_is_NotFoundOnFeeds_and_a_version_it_lacks_lists_the_ones_it_has()
    {
        var none = await _installer.InstallFromFeedsAsync("a", null, enable: true, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.NotFoundOnFeeds, none.Code);
        Assert.Contains(DefaultFeed, none.Message, StringComparison.Ordinal);

        _feeds.Add(new("a", "1.0.0")).Add(new("a", "1.1.0"));
        var missing = await _installer.InstallFromFeedsAsync("a", SemVersion.Parse("2.0.0", SemVersionStyles.Strict), enable: true, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.NotFoundOnFeeds, missing.Code);
        Assert.Contains("'a' 1.1.0, 1.0.0, not 2.0.0", missing.Message, StringComparison.Ordinal);
        Assert.Empty(_transitions.Calls);
    }

    [Fact]
    public async Task An_upgrade_takes_the_newest_compatible_version_with_its_new_dependencies()
    {
        _registry.Set(TestModuleRegistry.Info("a", "1.0.0"));
        _feeds.Add(new("a", "1.0.0")).Add(new("a", "1.2.0", new() { ["b"] = "^1.0.0" })).Add(new("a", "2.0.0"), ">=99.0.0").Add(new("b", "1.0.0"));

        var result = await _installer.UpgradeFromFeedsAsync("a", null, allowDowngrade: false, CancellationToken.None);

        Assert.True(result.Status == ModuleInstallStatus.Done, result.Message);
        Assert.Equal(["install b@1.0.0 enable=True", "upgrade a@1.2.0 allowDowngrade=False"], _transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task An_upgrade_at_the_newest_version_is_done_with_a_message_and_downloads_nothing()
    {
        _registry.Set(TestModuleRegistry.Info("a", "1.2.0"));
        _feeds.Add(new("a", "1.0.0")).Add(new("a", "1.2.0"));

        var result = await _installer.UpgradeFromFeedsAsync("a", null, allowDowngrade: false, CancellationToken.None);

        Assert.Equal(ModuleInstallStatus.Done, result.Status);
        Assert.Contains("already at 1.2.0, the newest version on the feeds", result.Message, StringComparison.Ordinal);
        Assert.Equal("a", result.Module!.Id);
        Assert.Empty(_feeds.Downloads);
        Assert.Empty(_transitions.Calls);
    }

    [Fact]
    public async Task A_downgrade_is_refused_unless_asked_for()
    {
        _registry.Set(TestModuleRegistry.Info("a", "1.2.0"));
        _feeds.Add(new("a", "1.0.0")).Add(new("a", "1.2.0"));
        var older = SemVersion.Parse("1.0.0", SemVersionStyles.Strict);

        var refused = await _installer.UpgradeFromFeedsAsync("a", older, allowDowngrade: false, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.Downgrade, refused.Code);
        Assert.Contains("allowDowngrade", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_feeds.Downloads);

        var done = await _installer.UpgradeFromFeedsAsync("a", older, allowDowngrade: true, CancellationToken.None);
        Assert.True(done.Status == ModuleInstallStatus.Done, done.Message);
        Assert.Equal(["upgrade a@1.0.0 allowDowngrade=True"], _transitions.Calls);
        AssertNothingLeft();
    }

    [Fact]
    public async Task Upgrading_what_is_not_installed_or_to_what_no_feed_has_is_refused()
    {
        var notInstalled = await _installer.UpgradeFromFeedsAsync("a", null, allowDowngrade: false, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.NotInstalled, notInstalled.Code);
        Assert.Contains("pbx-modules module install a", notInstalled.Message, StringComparison.Ordinal);

        _registry.Set(TestModuleRegistry.Info("a", "1.0.0"));
        _feeds.Add(new("a", "2.0.0"), ">=99.0.0");
        var incompatible = await _installer.UpgradeFromFeedsAsync("a", null, allowDowngrade: false, CancellationToken.None);
        Assert.Equal(PackageRefusalCode.NotFoundOnFeeds, incompatible.Code);
        Assert.Contains("none built for this host's SDK", incompatible.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upgrade_from_a_file_of_another_module_is_refused()
    {
        _registry.Set(TestModuleRegistry.Info("a", "1.0.0"));
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "b.nupkg");
        new TestPackageSpec("b", "2.0.0").WriteTo(file);

        var result = await _installer.UpgradeFileAsync("a", file, allowDowngrade: false, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.IdMismatch, result.Code);
        Assert.Empty(_transitions.Calls);
    }

    private void AssertNothingLeft()
        => Assert.True(!Directory.Exists(_feeds.Directory) || !Directory.EnumerateFileSystemEntries(_feeds.Directory).Any(),
            $"downloads left behind: {string.Join(", ", Directory.Exists(_feeds.Directory) ? Directory.EnumerateFiles(_feeds.Directory) : [])}");
}
