using System.IO.Compression;
using System.Xml.Linq;
using PbxModules.Sdk.Tests.Packaging;

namespace PbxModules.Sdk.Tests.Templates;

/// <summary>
/// The templates package and what `dotnet new pbxmodule` writes from it, short of building it
/// (<see cref="GeneratedModuleTests"/> builds, tests and packs one outside the repository).
/// </summary>
[Collection(SdkPackagesCollection.Name)]
public sealed class TemplatePackageTests(SdkPackagesFixture packages) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-template-").FullName;

    [Fact]
    public void The_package_is_a_template_package_of_the_SDK_version_that_references_that_SDK()
    {
        var (exitCode, output) = packages.Packs[SdkPackagesFixture.TemplatesProject];
        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("warning", output, StringComparison.OrdinalIgnoreCase);

        using var package = ZipFile.OpenRead(Path.Combine(packages.Output, $"{SdkPackagesFixture.TemplatesProject}.{packages.Version}.nupkg"));
        using (var nuspec = package.GetEntry($"{SdkPackagesFixture.TemplatesProject}.nuspec")!.Open())
        {
            var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            Assert.Equal(packages.Version, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
            Assert.Equal("Template", (string?)metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name"));
        }
        Assert.NotNull(package.GetEntry("content/pbxmodule/.template.config/template.json"));
        Assert.DoesNotContain(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) || e.FullName.Contains("/bin/", StringComparison.Ordinal) || e.FullName.Contains("/obj/", StringComparison.Ordinal));

        // The one SDK version, stamped at pack time into the generated Directory.Build.props.
        using var props = package.GetEntry("content/pbxmodule/Directory.Build.props")!.Open();
        Assert.Equal(packages.Version, XDocument.Load(props).Descendants("PbxModulesSdkVersion").Single().Value);
    }

    [Theory]
    [InlineData("ModuleFoo", "module-foo", "FooMain")]
    [InlineData("CallNotes", "call-notes", "CallNotesMain")]
    [InlineData("ModuleHTTPGreeter", "module-http-greeter", "HTTPGreeterMain")]
    public async Task The_module_id_is_the_name_in_kebab_case_and_types_are_named_after_it(string name, string id, string entryPoint)
    {
        var templates = await DotnetNew.InstallAsync(packages, Path.Combine(_root, "home"));
        var output = Path.Combine(_root, name);

        await templates.CreateAsync(name, output, "--authors", "Acme Telecom", "--supportEmail", "help@acme.example");

        var project = XDocument.Load(Path.Combine(output, "src", name, name + ".csproj"));
        Assert.Equal(id, project.Descendants("PbxModuleId").Single().Value);
        Assert.Equal(name, project.Descendants("PbxModuleName").Single().Value);
        Assert.Equal("Acme Telecom", project.Descendants("Authors").Single().Value);
        Assert.Equal("help@acme.example", project.Descendants("PbxModuleSupportEmail").Single().Value);
        Assert.True(File.Exists(Path.Combine(output, "src", name, entryPoint + ".cs")));
        Assert.True(File.Exists(Path.Combine(output, "tests", name + ".Tests", name + ".Tests.csproj")));
        Assert.True(File.Exists(Path.Combine(output, name + ".slnx")));
        // Every route, REST path and settings section of the example follows the id.
        var sources = Directory.GetFiles(output, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.Contains(sources, s => s.Contains($"\"pbxcore/api/v3/{id}/greetings\"", StringComparison.Ordinal));
        Assert.DoesNotContain(sources, s => id != "module-foo" && s.Contains("module-foo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_generated_projects_reference_the_package_versions_the_repository_builds_and_tests_with()
    {
        var templates = await DotnetNew.InstallAsync(packages, Path.Combine(_root, "home"));
        var output = Path.Combine(_root, "ModuleFoo");
        await templates.CreateAsync("ModuleFoo", output);
        var central = XDocument.Load(Path.Combine(Repository.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);

        var references = Directory.GetFiles(output, "*.csproj", SearchOption.AllDirectories)
            .SelectMany(p => XDocument.Load(p).Descendants("PackageReference"))
            .Select(r => ((string)r.Attribute("Include")!, (string)r.Attribute("Version")!))
            .Where(r => !r.Item1.StartsWith("PbxModules.", StringComparison.Ordinal))
            .ToList();

        // xunit, the test SDK, the fake clock: a template that drifted from what this repository tests with would hand authors untested versions.
        Assert.NotEmpty(references);
        foreach (var (id, version) in references)
            Assert.True(central.TryGetValue(id, out var expected) && expected == version, $"The template references {id} {version}; Directory.Packages.props has {(expected ?? "no version of it")}.");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
