using NuGet.Packaging;
using PbxModules.Host.Packages.Feeds;
using PbxModules.Host.Tests.Packages.Verification;

namespace PbxModules.Host.Tests.Packages.Feeds;

/// <summary>How the tags sdk/build writes at pack are read back.</summary>
public sealed class ModulePackageTagsTests
{
    [Fact]
    public void Ranges_come_back_with_their_spaces_whether_the_feed_separates_tags_with_spaces_or_commas()
    {
        foreach (var tags in new[]
        {
            "pbxmodule pbxmodule-sdk:>=1.0.0_<2.0.0 pbxmodule-dependson:module-a@^1.2.0_||_^2.0.0 pbxmodule-dependson:b2@1.x telephony",
            "pbxmodule, pbxmodule-sdk:>=1.0.0_<2.0.0, pbxmodule-dependson:module-a@^1.2.0_||_^2.0.0, pbxmodule-dependson:b2@1.x, telephony",
        })
        {
            var (sdk, dependsOn) = ModulePackageTags.Parse(tags);

            Assert.Equal(">=1.0.0 <2.0.0", sdk);
            Assert.Equal(2, dependsOn.Count);
            Assert.Equal("^1.2.0 || ^2.0.0", dependsOn["module-a"]);
            Assert.Equal("1.x", dependsOn["b2"]);
        }
    }

    [Fact]
    public async Task The_test_kits_package_builder_writes_the_tags_dotnet_pack_writes_from_module_json()
    {
        using var folder = new PackageTestFolder();
        var manifest = File.ReadAllText(Path.Combine(PackageTestFolder.GoodModuleFolder, "module.json"))
            .Replace("\"dependsOn\": {}", "\"dependsOn\": { \"module-a\": \"^1.2.0 || ^2.0.0\" }", StringComparison.Ordinal);
        Assert.Contains("module-a", manifest, StringComparison.Ordinal);
        var nupkg = await folder.BuildAsync(PackageTestFolder.GoodModule().AddModuleFile("module.json", manifest));

        using var reader = new PackageArchiveReader(nupkg);
        var tags = reader.NuspecReader.GetTags();
        var (sdk, dependsOn) = ModulePackageTags.Parse(tags);

        Assert.Contains(ModulePackageTags.ModuleTag, tags.Split(' '));
        Assert.Equal("^1.0.0", sdk);
        Assert.Equal("^1.2.0 || ^2.0.0", Assert.Single(dependsOn, d => d.Key == "module-a").Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("library json pbxmodule-sdk: pbxmodule-dependson:@^1 pbxmodule-dependson:a@")]
    public void Tags_that_say_nothing_about_a_module_give_no_range_and_no_dependency(string? tags)
    {
        var (sdk, dependsOn) = ModulePackageTags.Parse(tags);

        Assert.Null(sdk);
        Assert.Empty(dependsOn);
    }
}
