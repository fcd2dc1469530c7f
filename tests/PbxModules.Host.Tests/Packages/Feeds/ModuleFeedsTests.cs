using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Feeds;
using Semver;

namespace PbxModules.Host.Tests.Packages.Feeds;

/// <summary><see cref="ModuleFeeds"/> on real folder feeds holding the build's real module packages and other versions of them.</summary>
public sealed class ModuleFeedsTests : IDisposable
{
    private readonly TempFolder _root = TestPackages.NewFolder();

    public void Dispose() => _root.Dispose();

    private ModuleFeeds Feeds(params string[] sources) => Feeds(new ModulePackageOptions { Sources = [.. sources] });

    private ModuleFeeds Feeds(ModulePackageOptions options)
        => new(Options.Create(options), Options.Create(new PathsOptions { Data = _root.Sub("data") }), NullLogger<ModuleFeeds>.Instance);

    [Fact]
    public async Task A_folder_feed_lists_its_module_packages_with_every_version_newest_first_and_no_other_package()
    {
        var feed = _root.Sub("feed");
        TestPackages.CopyPacked(TestPackages.BlackListId, feed);
        TestPackages.CopyPacked(TestPackages.GoodId, feed);
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "1.1.0");
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "1.10.0");
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "1.2.0-beta.1");
        TestPackages.WriteLibraryPackage(feed, "some-library", "3.0.0");

        var listing = await Feeds(feed).ListAsync(CancellationToken.None);

        Assert.Empty(listing.Problems);
        Assert.Equal([TestPackages.BlackListId, TestPackages.GoodId], listing.Modules.Select(m => m.Id));
        var good = listing.Modules.Single(m => m.Id == TestPackages.GoodId);
        Assert.Equal(["1.10.0", "1.2.0-beta.1", "1.1.0", "1.0.0"], good.Versions.Select(v => v.Version.ToString()));
        Assert.All(good.Versions, v => Assert.Equal(feed, v.Source));
    }

    [Fact]
    public async Task The_sdk_range_and_dependencies_of_a_version_come_from_its_package_metadata()
    {
        var feed = _root.Sub("feed");
        TestPackages.CopyPacked(TestPackages.BlackListId, feed);
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "2.0.0", sdk: ">=1.0.0 <3.0.0", dependsOn: new Dictionary<string, string> { [TestPackages.BlackListId] = "^1.0.0 || ^2.0.0" });

        var feeds = Feeds(feed);
        var blackList = Assert.Single(await feeds.GetVersionsAsync(TestPackages.BlackListId, CancellationToken.None));
        var good = Assert.Single(await feeds.GetVersionsAsync(TestPackages.GoodId, CancellationToken.None));

        // The real pack: module.json's sdk range, no dependencies.
        Assert.Equal("^1.0.0", blackList.SdkRange);
        Assert.Empty(blackList.DependsOn);
        Assert.Equal(">=1.0.0 <3.0.0", good.SdkRange);
        Assert.Equal("^1.0.0 || ^2.0.0", good.DependsOn[TestPackages.BlackListId]);
        Assert.Empty(await feeds.GetVersionsAsync("not-on-the-feed", CancellationToken.None));
    }

    [Fact]
    public async Task A_version_whose_sdk_range_this_host_does_not_satisfy_is_not_the_newest_compatible()
    {
        var feed = _root.Sub("feed");
        TestPackages.CopyPacked(TestPackages.GoodId, feed);
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "1.1.0");
        TestPackages.WriteVersion(TestPackages.GoodId, feed, "2.0.0", sdk: $"^{ManifestValidatorHostMajorPlusOne()}.0.0");

        var versions = await Feeds(feed).GetVersionsAsync(TestPackages.GoodId, CancellationToken.None);

        Assert.Equal("2.0.0", versions[0].Version.ToString());
        Assert.False(FeedCompatibility.IsCompatible(versions[0]));
        Assert.True(FeedCompatibility.IsCompatible(versions[1]));
        Assert.Equal("1.1.0", FeedCompatibility.NewestCompatible(versions)!.Version.ToString());
        // Against a host of the next major SDK, only 2.0.0 is.
        Assert.Equal("2.0.0", FeedCompatibility.NewestCompatible(versions, new SemVersion(ManifestValidatorHostMajorPlusOne(), 0, 0))!.Version.ToString());
    }

    [Fact]
    public async Task A_download_copies_the_package_into_the_download_folder_under_the_data_folder()
    {
        var feed = _root.Sub("feed");
        var packed = TestPackages.CopyPacked(TestPackages.GoodId, feed);
        var feeds = Feeds(feed);

        var path = await feeds.DownloadAsync(TestPackages.GoodId, SemVersion.Parse("1.0.0"), CancellationToken.None);

        Assert.NotNull(path);
        Assert.Equal(Path.Combine(_root.Sub("data"), ModuleFeeds.DownloadFolder), Path.GetDirectoryName(path));
        Assert.Equal(await File.ReadAllBytesAsync(packed), await File.ReadAllBytesAsync(path));
        Assert.Null(await feeds.DownloadAsync(TestPackages.GoodId, SemVersion.Parse("9.9.9"), CancellationToken.None));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData("../test-good")]
    [InlineData("test-good/../../x")]
    [InlineData("Test-Good")]
    [InlineData("")]
    public async Task An_id_that_is_no_module_id_is_on_no_feed_and_names_no_file(string id)
    {
        var feed = _root.Sub("feed");
        TestPackages.CopyPacked(TestPackages.GoodId, feed);
        var feeds = Feeds(feed);

        Assert.Empty(await feeds.GetVersionsAsync(id, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<ModuleFeedException>(() => feeds.DownloadAsync(id, SemVersion.Parse("1.0.0"), CancellationToken.None));
        Assert.Equal(PackageRefusalCode.NotFoundOnFeeds, refused.Code);
        Assert.StartsWith($"'{id}' is not a module id", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root.Sub("data"), ModuleFeeds.DownloadFolder)) && Directory.EnumerateFileSystemEntries(Path.Combine(_root.Sub("data"), ModuleFeeds.DownloadFolder)).Any());
    }

    [Fact]
    public async Task A_download_larger_than_MaxPackageBytes_is_stopped_and_leaves_no_file()
    {
        var feed = _root.Sub("feed");
        var packed = TestPackages.CopyPacked(TestPackages.GoodId, feed);
        var feeds = Feeds(new ModulePackageOptions { Sources = [feed], MaxPackageBytes = new FileInfo(packed).Length - 1 });

        var refused = await Assert.ThrowsAsync<ModuleFeedException>(() => feeds.DownloadAsync(TestPackages.GoodId, SemVersion.Parse("1.0.0"), CancellationToken.None));

        Assert.Equal(PackageRefusalCode.TooLarge, refused.Code);
        Assert.Contains($"Package {TestPackages.GoodId} 1.0.0 on feed '{feed}' is larger than Modules:MaxPackageBytes", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root.Sub("data"), ModuleFeeds.DownloadFolder)));
    }

    [Fact]
    public async Task Feeds_that_cannot_be_read_are_problems_naming_them_while_the_good_feed_still_lists()
    {
        var good = _root.Sub("good");
        TestPackages.CopyPacked(TestPackages.GoodId, good);
        var missing = _root.Sub("missing");
        var file = _root.Sub("a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        var listing = await Feeds(missing, good, file, "ftp://feed.example/modules").ListAsync(CancellationToken.None);

        Assert.Equal([TestPackages.GoodId], listing.Modules.Select(m => m.Id));
        Assert.Equal(3, listing.Problems.Count);
        Assert.Contains(listing.Problems, p => p.StartsWith($"Feed '{missing}' could not be read: the folder '{missing}' does not exist.", StringComparison.Ordinal));
        Assert.Contains(listing.Problems, p => p.StartsWith($"Feed '{file}' could not be read: '{file}' is a file, not a folder.", StringComparison.Ordinal));
        Assert.Contains(listing.Problems, p => p.StartsWith("Feed 'ftp://feed.example/modules' is neither a folder nor an http(s) URL", StringComparison.Ordinal));
        Assert.All(listing.Problems.Where(p => p.Contains("could not be read", StringComparison.Ordinal)), p => Assert.EndsWith("Check Modules:Sources: a folder that exists, or a NuGet v3 index URL such as https://feed.example/v3/index.json.", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreadable_package_file_is_a_problem_naming_it_and_the_rest_of_the_feed_is_listed()
    {
        var feed = _root.Sub("feed");
        TestPackages.CopyPacked(TestPackages.GoodId, feed);
        var corrupt = Path.Combine(feed, "test-broken.1.0.0.nupkg");
        await File.WriteAllBytesAsync(corrupt, [.. Enumerable.Range(0, 512).Select(i => (byte)i)]);

        var listing = await Feeds(feed).ListAsync(CancellationToken.None);

        Assert.True(listing.Modules.Count == 1, string.Join(" | ", listing.Problems));
        Assert.Equal([TestPackages.GoodId], listing.Modules.Select(m => m.Id));
        var problem = Assert.Single(listing.Problems);
        Assert.Contains(corrupt, problem, StringComparison.Ordinal);
        Assert.EndsWith("remove or replace it.", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_source_configured_the_feed_is_a_folder_under_the_data_folder_created_when_missing()
    {
        var feeds = Feeds();
        var folder = Path.Combine(_root.Sub("data"), ModuleFeeds.DefaultFeedFolder);

        var empty = await feeds.ListAsync(CancellationToken.None);
        Assert.True(Directory.Exists(folder));
        Assert.Empty(empty.Modules);
        Assert.Empty(empty.Problems);

        TestPackages.CopyPacked(TestPackages.BlackListId, folder);
        var listing = await feeds.ListAsync(CancellationToken.None);
        Assert.Equal([TestPackages.BlackListId], listing.Modules.Select(m => m.Id));
    }

    [Fact]
    public async Task A_version_on_two_feeds_is_listed_once_from_the_first_feed_in_Sources_order()
    {
        var first = _root.Sub("first");
        var second = _root.Sub("second");
        TestPackages.CopyPacked(TestPackages.GoodId, first);
        TestPackages.CopyPacked(TestPackages.GoodId, second);
        TestPackages.WriteVersion(TestPackages.GoodId, second, "1.1.0");

        var module = Assert.Single((await Feeds(first, second).ListAsync(CancellationToken.None)).Modules);

        Assert.Equal([("1.1.0", second), ("1.0.0", first)], module.Versions.Select(v => (v.Version.ToString(), v.Source)));
    }

    [Fact]
    public async Task An_http_v3_feed_lists_its_module_packages_with_their_metadata_and_serves_downloads()
    {
        var packages = _root.Sub("served");
        var library = TestPackages.WriteLibraryPackage(packages, "some-library", "3.0.0");
        using var feed = new LoopbackV3Feed([
            TestPackages.Packed(TestPackages.GoodId),
            TestPackages.WriteVersion(TestPackages.GoodId, packages, "1.1.0", dependsOn: new Dictionary<string, string> { [TestPackages.BlackListId] = ">=1.0.0 <2.0.0" }),
            TestPackages.Packed(TestPackages.BlackListId),
            library]);
        var feeds = Feeds(feed.IndexUrl);

        var listing = await feeds.ListAsync(CancellationToken.None);
        var versions = await feeds.GetVersionsAsync(TestPackages.GoodId, CancellationToken.None);
        var path = await feeds.DownloadAsync(TestPackages.GoodId, SemVersion.Parse("1.0.0"), CancellationToken.None);

        Assert.Empty(listing.Problems);
        Assert.Equal([TestPackages.BlackListId, TestPackages.GoodId], listing.Modules.Select(m => m.Id));
        Assert.Equal(["1.1.0", "1.0.0"], versions.Select(v => v.Version.ToString()));
        Assert.Equal("^1.0.0", versions[0].SdkRange);
        Assert.Equal(">=1.0.0 <2.0.0", versions[0].DependsOn[TestPackages.BlackListId]);
        Assert.Equal(feed.IndexUrl, versions[0].Source);
        Assert.Empty(await feeds.GetVersionsAsync("some-library", CancellationToken.None));
        Assert.Equal(await File.ReadAllBytesAsync(TestPackages.Packed(TestPackages.GoodId)), await File.ReadAllBytesAsync(path!));
    }

    [Fact]
    public async Task An_http_feed_that_answers_errors_is_a_problem_naming_its_URL_while_the_folder_feed_lists()
    {
        var good = _root.Sub("good");
        TestPackages.CopyPacked(TestPackages.GoodId, good);
        using var broken = new LoopbackV3Feed([], broken: true);

        var listing = await Feeds(broken.IndexUrl, good).ListAsync(CancellationToken.None);

        Assert.Equal([TestPackages.GoodId], listing.Modules.Select(m => m.Id));
        var problem = Assert.Single(listing.Problems);
        Assert.StartsWith($"Feed '{broken.IndexUrl}' could not be read: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_source_is_a_v3_feed_and_a_file_URI_a_folder()
    {
        var http = ModuleFeedSource.Create("https://feed.example/v3/index.json", out var httpProblem);
        var folder = ModuleFeedSource.Create(new Uri(_root.Path).AbsoluteUri, out var folderProblem);

        Assert.Null(httpProblem);
        Assert.NotNull(http);
        Assert.Null(http.Folder);
        Assert.Null(folderProblem);
        Assert.Equal(_root.Path, folder!.Folder);
    }

    private static int ManifestValidatorHostMajorPlusOne() => (int)Host.Modules.ManifestValidator.HostSdkVersion.Major + 1;
}
