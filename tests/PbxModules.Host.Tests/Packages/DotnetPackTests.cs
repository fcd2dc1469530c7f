using System.Diagnostics;
using NuGet.Packaging;
using PbxModules.Host.Packages;

namespace PbxModules.Host.Tests.Packages;

/// <summary>
/// <c>dotnet pack modules/ModuleBlackList</c> itself, as an author runs it (a real process, <c>--no-build</c> on the
/// build this test output came from): the package, and the pack refused when the project's version disagrees with module.json.
/// </summary>
public sealed class DotnetPackTests : IDisposable
{
    private readonly TempFolder _output = TestPackages.NewFolder();

    public void Dispose() => _output.Dispose();

    [Fact]
    public async Task Dotnet_pack_of_ModuleBlackList_makes_a_PbxModule_package_with_the_module_folder_and_no_SDK()
    {
        var (exitCode, output) = await PackAsync();

        Assert.True(exitCode == 0, output);
        var nupkg = Assert.Single(Directory.GetFiles(_output.Path, "*.nupkg"));
        Assert.Equal($"{TestPackages.BlackListId}.1.0.0.nupkg", Path.GetFileName(nupkg));
        using var reader = new PackageArchiveReader(nupkg);
        Assert.Equal([ModulePackageLayout.PackageType], reader.NuspecReader.GetPackageTypes().Select(t => t.Name));
        var files = reader.GetFiles().ToList();
        Assert.Contains(ModulePackageLayout.ManifestEntry, files);
        Assert.Contains("module/ModuleBlackList.dll", files);
        Assert.DoesNotContain(files, f => f.EndsWith("PbxModules.Sdk.dll", StringComparison.OrdinalIgnoreCase));
        using var manifest = System.Text.Json.JsonDocument.Parse(TestPackages.ReadEntry(reader, ModulePackageLayout.ManifestEntry));
        Assert.Equal(manifest.RootElement.GetProperty("id").GetString(), reader.NuspecReader.GetId());
        Assert.Equal(manifest.RootElement.GetProperty("version").GetString(), reader.NuspecReader.GetVersion().ToNormalizedString());
    }

    [Fact]
    public async Task A_version_set_on_the_project_that_differs_from_module_json_stops_the_pack_naming_both()
    {
        var (exitCode, output) = await PackAsync("-p:Version=9.9.9");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("The package version is '9.9.9' (Version or PackageVersion) but module.json's version is '1.0.0'", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_output.Path, "*.nupkg"));
    }

    private async Task<(int ExitCode, string Output)> PackAsync(params string[] extra)
    {
        var project = Path.Combine(RepositoryRoot(), "modules", "ModuleBlackList", "ModuleBlackList.csproj");
        // bin/<Configuration>/net10.0/: pack the configuration this output was built in, without building again.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "pack", project, "-c", configuration, "--no-build", "-nologo", "-o", _output.Path, "-nodeReuse:false" }.Concat(extra))
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "PbxModules.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No PbxModules.sln above {AppContext.BaseDirectory}: these tests run from the repository's build output.");
    }
}
