using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace PbxModules.Sdk.Tests.Packaging;

/// <summary>
/// A module written outside the repository, as an author writes one: a project in a temporary folder that
/// references the PbxModules.Sdk package from a folder feed (the packages the fixture made) and nothing of
/// this repository, its manifest in the project's properties. Restore is offline: the feed, and this
/// machine's global packages folder as a second source for what the SDK depends on, into a packages folder
/// of its own (so no earlier SDK package of the same version, cached elsewhere, is used instead of this build's).
/// </summary>
[Collection(SdkPackagesCollection.Name)]
public sealed class OutsideModuleTests(SdkPackagesFixture packages) : IDisposable
{
    private const string Manifest = """
        <PbxModuleId>module-outside</PbxModuleId>
        <Version>2.3.4</Version>
        <Description>Built "outside" the repository \ with a quote and a backslash.</Description>
        <Authors>Tests</Authors>
        <PbxModuleSupportEmail>support@outside.example</PbxModuleSupportEmail>
        """;

    private const string Dependencies = """
        <PbxModuleDependency Include="module-other" Version="^2.1.0" />
        <PbxModuleDependency Include="module-third" Version="&gt;=1.0.0 &lt;3.0.0" />
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-outside-module-").FullName;

    [Fact]
    public async Task A_module_built_against_the_SDK_package_ships_only_itself_and_packs_as_a_module_package()
    {
        var project = WriteModule(Manifest, Dependencies);

        var build = await DotnetAsync("build", project, "--nologo");
        Assert.True(build.ExitCode == 0, build.Output);
        var output = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug", "net10.0");
        var files = Directory.GetFiles(output).Select(Path.GetFileName).Order().ToArray();
        Assert.Contains("module.json", files);
        Assert.Contains("ModuleOutside.dll", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("PbxModules.", StringComparison.Ordinal) || f.StartsWith("Quartz", StringComparison.Ordinal)
            || f.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || f.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));

        var pack = await DotnetAsync("pack", project, "--nologo", "--no-build", "-c", "Debug", "-o", Path.Combine(_root, "out"));
        Assert.True(pack.ExitCode == 0, pack.Output);
        using var package = ZipFile.OpenRead(Path.Combine(_root, "out", "module-outside.2.3.4.nupkg"));
        Assert.NotNull(package.GetEntry("module/ModuleOutside.dll"));
        Assert.NotNull(package.GetEntry("module/module.json"));
        Assert.DoesNotContain(package.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal));
        using var nuspec = package.GetEntry("module-outside.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal("PbxModule", (string?)metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name"));
        Assert.Equal($"pbxmodule pbxmodule-sdk:{DefaultSdkRange()} pbxmodule-dependson:module-other@^2.1.0 pbxmodule-dependson:module-third@>=1.0.0_<3.0.0",
            metadata.Elements().Single(e => e.Name.LocalName == "tags").Value);
    }

    [Fact]
    public async Task The_generated_module_json_holds_every_property_and_the_default_SDK_range()
    {
        var project = WriteModule(Manifest, Dependencies);

        var build = await DotnetAsync("build", project, "--nologo");
        Assert.True(build.ExitCode == 0, build.Output);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(project)!, "bin", "Debug", "net10.0", "module.json")));
        var root = manifest.RootElement;
        Assert.Equal("module-outside", root.GetProperty("id").GetString());
        Assert.Equal("ModuleOutside", root.GetProperty("name").GetString());
        Assert.Equal("2.3.4", root.GetProperty("version").GetString());
        Assert.Equal(DefaultSdkRange(), root.GetProperty("sdk").GetString());
        Assert.Equal("ModuleOutside.dll", root.GetProperty("assembly").GetString());
        Assert.Equal("""Built "outside" the repository \ with a quote and a backslash.""", root.GetProperty("description").GetString());
        Assert.Equal("Tests", root.GetProperty("developer").GetString());
        Assert.Equal("support@outside.example", root.GetProperty("supportEmail").GetString());
        Assert.Equal(
            new Dictionary<string, string> { ["module-other"] = "^2.1.0", ["module-third"] = ">=1.0.0 <3.0.0" },
            root.GetProperty("dependsOn").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }

    [Fact]
    public async Task A_module_that_would_ship_the_SDK_is_stopped_with_the_reference_to_write()
    {
        var project = WriteModule(Manifest, "", excludeRuntime: false);

        var build = await DotnetAsync("build", project, "--nologo");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("ExcludeAssets=\"runtime\"", build.Output);
    }

    [Fact]
    public async Task A_project_with_PbxModuleId_and_a_hand_written_module_json_is_stopped_naming_both()
    {
        var project = WriteModule(Manifest, "");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(project)!, "module.json"), """
            { "id": "module-outside", "name": "ModuleOutside", "version": "2.3.4", "sdk": "^1.0.0", "assembly": "ModuleOutside.dll" }
            """);

        var build = await DotnetAsync("build", project, "--nologo");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("sets PbxModuleId ('module-outside') and also has a hand-written", build.Output, StringComparison.Ordinal);
        Assert.Contains("module.json", build.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<PbxModuleId>Module_Outside</PbxModuleId>", "", "PbxModuleId 'Module_Outside' is not a module id: it must be kebab-case")]
    [InlineData("<PbxModuleId>module-outside</PbxModuleId><Version>1.0</Version>", "", "Version '1.0' is not a SemVer 2.0 version")]
    [InlineData("<PbxModuleId>module-outside</PbxModuleId>", """<PbxModuleDependency Include="module-other" />""", "PbxModuleDependency 'module-other' has no Version")]
    public async Task A_manifest_the_host_would_refuse_stops_the_build_saying_why(string properties, string items, string error)
    {
        var project = WriteModule(properties, items);

        var build = await DotnetAsync("build", project, "--nologo");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(error, build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outside_test_project_deploys_its_module_with_the_test_kit_package_and_runs_it_in_the_real_host()
    {
        var module = WriteModule(Manifest, "");
        // A console rather than a test project: what is proved is the package (its build logic, the host it brings), not a test runner.
        var folder = Directory.CreateDirectory(Path.Combine(_root, "ModuleOutside.Tests")).FullName;
        File.WriteAllText(Path.Combine(folder, "ModuleOutside.Tests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PbxModules.Sdk.Testing" Version="{packages.Version}" />
                <!-- Both: the module's types for the tests, and the module deployed where the test host loads it from. -->
                <ProjectReference Include="{module}" />
                <PbxModule Include="{module}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using PbxModules.Sdk.Testing.Hosting;

            await using var host = await ModuleTestHost.StartAsync();
            using var module = await host.Rest.GetAsync("pbxcore/api/v3/modules/module-outside");
            using var anonymous = await host.CreateClient().GetAsync("pbxcore/api/v3/modules/module-outside");
            Console.WriteLine($"module {(int)module.StatusCode} anonymous {(int)anonymous.StatusCode} entry {host.ModuleServices("module-outside") is not null}");
            """);

        var run = await DotnetAsync("run", "--project", Path.Combine(folder, "ModuleOutside.Tests.csproj"), "--nologo");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("module 200 anonymous 401 entry True", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", run.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Combine(folder, "bin", "Debug", "net10.0", "modules", "ModuleOutside", "module.json")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>^major.minor.0 of the SDK the module builds against: what a module gets without PbxModuleSdkRange.</summary>
    private string DefaultSdkRange()
    {
        var parts = packages.Version.Split('.');
        return $"^{parts[0]}.{parts[1]}.0";
    }

    private string WriteModule(string properties, string items, bool excludeRuntime = true)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "ModuleOutside")).FullName;
        packages.WriteOfflineNuGetConfig(_root);
        File.WriteAllText(Path.Combine(folder, "ModuleOutside.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <PropertyGroup>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PbxModules.Sdk" Version="{packages.Version}"{(excludeRuntime ? " ExcludeAssets=\"runtime\"" : "")} />
                {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "OutsideModule.cs"), """
            using Microsoft.Extensions.DependencyInjection;
            using PbxModules.Sdk.Modules;

            namespace ModuleOutside;

            public sealed class OutsideModule : IPbxModule
            {
                public void ConfigureServices(IServiceCollection services, IModuleContext context)
                {
                }
            }
            """);
        return Path.Combine(folder, "ModuleOutside.csproj");
    }

    private Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
        => DotnetCli.RunAsync(_root, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") }, arguments);
}
