using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace PbxModules.Sdk.Tests.Packaging;

/// <summary>The SDK packages as a module author gets them from a feed.</summary>
[Collection(SdkPackagesCollection.Name)]
public sealed class SdkPackagesTests(SdkPackagesFixture packages)
{
    public static TheoryData<string> Projects => new(SdkPackagesFixture.Projects);

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

    private static string? Field(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
}
