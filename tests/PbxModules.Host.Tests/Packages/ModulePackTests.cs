using System.Text.Json;
using NuGet.Packaging;
using PbxModules.Host.Modules;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Feeds;

namespace PbxModules.Host.Tests.Packages;

/// <summary>
/// What sdk/PbxModules.Sdk/build/PbxModules.Sdk.targets makes of a module at <c>dotnet pack</c> (its Pack target, which the
/// build ran for this output through &lt;PbxModulePackage&gt;): the module folder under module/, nothing the host shares.
/// </summary>
public sealed class ModulePackTests
{
    [Theory]
    [InlineData(TestPackages.BlackListId, "ModuleBlackList")]
    [InlineData(TestPackages.GoodId, "GoodModule")]
    public void A_module_packs_as_a_PbxModule_package_holding_its_module_folder_under_module(string id, string assembly)
    {
        using var reader = new PackageArchiveReader(TestPackages.Packed(id));
        var nuspec = reader.NuspecReader;
        var files = reader.GetFiles().Where(f => f.StartsWith(ModulePackageLayout.ModuleFolder, StringComparison.Ordinal)).ToList();

        Assert.Equal([ModulePackageLayout.PackageType], nuspec.GetPackageTypes().Select(t => t.Name));
        Assert.Contains(ModulePackageLayout.ManifestEntry, files);
        Assert.Contains($"module/{assembly}.dll", files);
        Assert.Contains($"module/{assembly}.deps.json", files);
        // Exactly the deployed folder: the same files as the build put in testmodules/ (GoodModule is deployed there too).
        if (id == TestPackages.GoodId)
        {
            var deployed = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testmodules", assembly)).Select(f => "module/" + Path.GetFileName(f));
            Assert.Equal(deployed.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        }
        // Nothing outside module/ but NuGet's own parts, and no lib/ or content/ for a project to reference.
        Assert.All(reader.GetFiles().Except(files), f => Assert.True(f.EndsWith(".nuspec", StringComparison.Ordinal) || f.StartsWith("_rels/", StringComparison.Ordinal) || f.StartsWith("package/", StringComparison.Ordinal) || f == "[Content_Types].xml", f));
    }

    [Fact]
    public void ModuleBlackList_packs_its_private_dependencies_and_no_copy_of_the_SDK_and_depends_on_no_package()
    {
        using var reader = new PackageArchiveReader(TestPackages.Packed(TestPackages.BlackListId));
        var files = reader.GetFiles().ToList();

        Assert.Contains("module/PhoneNumbers.dll", files);
        Assert.Contains("module/CsvHelper.dll", files);
        Assert.DoesNotContain(files, f => f.EndsWith("PbxModules.Sdk.dll", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => Path.GetFileName(f).StartsWith("Microsoft.", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("Quartz", StringComparison.Ordinal));
        Assert.Empty(reader.NuspecReader.GetDependencyGroups().SelectMany(g => g.Packages));
    }

    [Fact]
    public void ModuleBlackList_s_module_json_generated_from_its_project_properties_is_one_the_host_accepts()
    {
        using var reader = new PackageArchiveReader(TestPackages.Packed(TestPackages.BlackListId));

        var read = ManifestValidator.Validate(TestPackages.ReadEntry(reader, ModulePackageLayout.ManifestEntry), folder: null);

        Assert.True(read.IsValid, string.Join(" ", read.Problems.Select(p => p.Message)));
        Assert.Equal("module-black-list", read.Manifest!.Id);
        Assert.Equal("ModuleBlackList.dll", read.Manifest.Assembly);
        Assert.Equal("support@pbxmodules.example", read.Manifest.SupportEmail);
        Assert.Empty(read.Manifest.DependsOn!);
    }

    [Theory]
    [InlineData(TestPackages.BlackListId)]
    [InlineData(TestPackages.GoodId)]
    public void The_package_id_version_and_metadata_are_module_json_s(string id)
    {
        using var reader = new PackageArchiveReader(TestPackages.Packed(id));
        var nuspec = reader.NuspecReader;
        using var manifest = JsonDocument.Parse(TestPackages.ReadEntry(reader, ModulePackageLayout.ManifestEntry));
        var root = manifest.RootElement;

        Assert.Equal(id, nuspec.GetId());
        Assert.Equal(root.GetProperty("id").GetString(), nuspec.GetId());
        Assert.Equal(root.GetProperty("version").GetString(), nuspec.GetVersion().ToNormalizedString());
        Assert.Equal(root.GetProperty("name").GetString(), nuspec.GetTitle());
        Assert.Equal(root.GetProperty("description").GetString(), nuspec.GetDescription());
        Assert.Equal(root.GetProperty("developer").GetString(), nuspec.GetAuthors());
        var (sdk, dependsOn) = ModulePackageTags.Parse(nuspec.GetTags());
        Assert.Equal(root.GetProperty("sdk").GetString(), sdk);
        Assert.Empty(dependsOn);
        Assert.Contains(ModulePackageTags.ModuleTag, nuspec.GetTags().Split(' '));
    }
}
