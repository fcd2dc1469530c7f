using System.IO.Compression;
using System.Xml.Linq;

namespace PbxModules.Sdk.Tests.Packaging;

/// <summary>
/// A module written outside the repository, as an author writes one: a project in a temporary folder that
/// references the PbxModules.Sdk package from a folder feed (the packages the fixture made) and nothing of
/// this repository. Restore is offline: the feed, and this machine's global packages folder as a second
/// source for what the SDK depends on, into a packages folder of its own (so no earlier SDK package of the
/// same version, cached elsewhere, is used instead of this build's).
/// </summary>
[Collection(SdkPackagesCollection.Name)]
public sealed class OutsideModuleTests(SdkPackagesFixture packages) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pbxmodules-outside-module-").FullName;

    [Fact]
    public async Task A_module_built_against_the_SDK_package_ships_only_itself_and_packs_as_a_module_package()
    {
        var project = WriteModule(excludeRuntime: true);

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
        var packageType = XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "packageType");
        Assert.Equal("PbxModule", (string?)packageType.Attribute("name"));
    }

    [Fact]
    public async Task A_module_that_would_ship_the_SDK_is_stopped_with_the_reference_to_write()
    {
        var project = WriteModule(excludeRuntime: false);

        var build = await DotnetAsync("build", project, "--nologo");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("ExcludeAssets=\"runtime\"", build.Output);
    }

    [Fact]
    public async Task An_outside_test_project_deploys_its_module_with_the_test_kit_package_and_runs_it_in_the_real_host()
    {
        var module = WriteModule(excludeRuntime: true);
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

    private string WriteModule(bool excludeRuntime)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "ModuleOutside")).FullName;
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_root, "packages")}" /></config>
              <packageSources>
                <clear />
                <add key="sdk" value="{packages.Output}" />
                <add key="cache" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "ModuleOutside.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PbxModules.Sdk" Version="{packages.Version}"{(excludeRuntime ? " ExcludeAssets=\"runtime\"" : "")} />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "module.json"), """
            { "id": "module-outside", "name": "ModuleOutside", "version": "2.3.4", "sdk": "^1.0.0", "assembly": "ModuleOutside.dll", "description": "Built outside the repository.", "developer": "Tests" }
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
