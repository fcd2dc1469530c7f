using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace PbxModules.Sdk.Tests.Packaging;

/// <summary>The SDK packages as a module author gets them from a feed.</summary>
[Collection(SdkPackagesCollection.Name)]
public sealed class SdkPackagesTests(SdkPackagesFixture packages)
{
    public static TheoryData<string> Projects => new(SdkPackagesFixture.Projects);

    public static TheoryData<string> HostLibraries => new(SdkPackagesFixture.HostLibraries);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Pack_passes_package_validation_against_the_last_released_version(string project)
    {
        var (exitCode, output) = packages.Packs[project];

        Assert.True(exitCode == 0, $"dotnet pack {project} failed (exit {exitCode}):\n{output}");
        Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Package_carries_the_one_SDK_version_its_readme_and_its_xml_docs(string project)
    {
        using var package = Open(project, ".nupkg");
        var metadata = Nuspec(package, project);

        Assert.Equal(project, Field(metadata, "id"));
        Assert.Equal(packages.Version, Field(metadata, "version"));
        Assert.Equal("README.md", Field(metadata, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Field(metadata, "description")));
        Assert.Equal("MIT", Field(metadata, "license"));
        Assert.NotNull(package.GetEntry("README.md"));
        Assert.NotNull(package.GetEntry($"lib/net10.0/{project}.dll"));
        var docs = package.GetEntry($"lib/net10.0/{project}.xml");
        Assert.NotNull(docs);
        using var docsStream = docs.Open();
        Assert.NotEmpty(XDocument.Load(docsStream).Descendants("member"));
    }

    [Fact]
    public void The_test_kit_depends_on_the_SDK_of_its_own_version()
    {
        using var package = Open("PbxModules.Sdk.Testing", ".nupkg");
        var dependency = Nuspec(package, "PbxModules.Sdk.Testing").Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "PbxModules.Sdk");

        Assert.Equal(packages.Version, (string?)dependency.Attribute("version"));
    }

    [Theory]
    [InlineData("PbxModules.Host")]
    [InlineData("PbxModules.Asterisk")]
    public void The_test_kit_depends_on_the_daemon_library_of_its_own_version(string library)
    {
        using var package = Open("PbxModules.Sdk.Testing", ".nupkg");
        var dependency = Dependencies(package, "PbxModules.Sdk.Testing").SingleOrDefault(e => (string?)e.Attribute("id") == library)
            ?? Dependencies(Open("PbxModules.Host", ".nupkg"), "PbxModules.Host").Single(e => (string?)e.Attribute("id") == library);

        Assert.Equal(packages.Version, (string?)dependency.Attribute("version"));
    }

    [Theory]
    [MemberData(nameof(HostLibraries))]
    public void The_daemon_library_packs_with_the_SDK_version_and_without_the_daemons_content(string project)
    {
        var (exitCode, output) = packages.Packs[project];
        Assert.True(exitCode == 0, $"dotnet pack {project} failed (exit {exitCode}):\n{output}");
        using var package = Open(project, ".nupkg");
        var metadata = Nuspec(package, project);

        Assert.Equal(packages.Version, Field(metadata, "version"));
        Assert.Contains("test kit", Field(metadata, "description"), StringComparison.Ordinal);
        Assert.NotNull(package.GetEntry($"lib/net10.0/{project}.dll"));
        // No appsettings*.json, no embedded modules folder, and the module the daemon embeds is no dependency.
        Assert.DoesNotContain(package.Entries, e => e.FullName.Contains("appsettings", StringComparison.OrdinalIgnoreCase) || e.FullName.Contains("modules/", StringComparison.OrdinalIgnoreCase) || e.FullName.StartsWith("content", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Dependencies(package, project), e => ((string?)e.Attribute("id"))!.StartsWith("Module", StringComparison.Ordinal));
    }

    [Fact]
    public void The_test_kit_carries_the_module_deployment_the_repository_tests_use()
    {
        using var package = Open("PbxModules.Sdk.Testing", ".nupkg");
        var entry = package.GetEntry("build/PbxModules.Sdk.Testing.targets");
        Assert.NotNull(entry);

        using var reader = new StreamReader(entry.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "sdk", "build", "PbxModules.DeployModules.targets")), reader.ReadToEnd());
    }

    [Theory]
    [InlineData("PbxModules.Sdk.props")]
    [InlineData("PbxModules.Sdk.targets")]
    [InlineData("PbxModules.Sdk.Version.props")]
    public void The_SDK_package_carries_the_module_build_the_repository_modules_use(string file)
    {
        using var package = Open("PbxModules.Sdk", ".nupkg");
        var entry = package.GetEntry($"build/{file}");
        Assert.NotNull(entry);

        using var reader = new StreamReader(entry.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "sdk", "PbxModules.Sdk", "build", file)), reader.ReadToEnd());
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Symbols_package_holds_a_portable_pdb_for_the_assembly(string project)
    {
        using var symbols = Open(project, ".snupkg");
        var pdb = symbols.GetEntry($"lib/net10.0/{project}.pdb");
        Assert.NotNull(pdb);

        using var stream = new MemoryStream();
        using (var entry = pdb.Open()) entry.CopyTo(stream);
        stream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        Assert.NotEmpty(reader.Documents);
    }

    private ZipArchive Open(string project, string extension)
        => ZipFile.OpenRead(Path.Combine(packages.Output, $"{project}.{packages.Version}{extension}"));

    private static XElement Nuspec(ZipArchive package, string project)
    {
        using var stream = package.GetEntry($"{project}.nuspec")!.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static IEnumerable<XElement> Dependencies(ZipArchive package, string project)
        => Nuspec(package, project).Descendants().Where(e => e.Name.LocalName == "dependency");

    private static string? Field(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
}
