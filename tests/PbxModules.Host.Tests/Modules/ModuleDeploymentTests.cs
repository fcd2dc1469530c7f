namespace PbxModules.Host.Tests.Modules;

/// <summary>
/// What sdk/build/PbxModules.DeployModules.targets and PbxModules.Module.props put in the test
/// output: one folder per module, holding what the host needs and nothing it shares.
/// </summary>
public sealed class ModuleDeploymentTests
{
    private static string Folder(string name) => Path.Combine(ModuleHostFixture.DeployedModules, name);

    private static string[] Files(string name) => [.. Directory.GetFiles(Folder(name)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Theory]
    [InlineData("GoodModule")]
    [InlineData("ThrowingModule")]
    [InlineData("UsesDepV1Module")]
    [InlineData("UsesDepV2Module")]
    public void Each_module_is_deployed_to_its_own_folder_with_its_manifest_assembly_and_deps_file(string name)
    {
        var files = Files(name);

        Assert.Contains("module.json", files);
        Assert.Contains($"{name}.dll", files);
        Assert.Contains($"{name}.deps.json", files);
    }

    [Theory]
    [InlineData("GoodModule")]
    [InlineData("UsesDepV1Module")]
    [InlineData("UsesDepV2Module")]
    public void A_module_folder_holds_no_copy_of_what_the_host_shares(string name)
    {
        var files = Files(name);

        Assert.DoesNotContain("PbxModules.Sdk.dll", files);
        Assert.DoesNotContain(files, f => f.StartsWith("Microsoft.", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.StartsWith("Quartz", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_module_ships_its_own_build_of_the_private_dependency()
    {
        var v1 = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(Folder("UsesDepV1Module"), "TestPrivateDep.dll"));
        var v2 = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(Folder("UsesDepV2Module"), "TestPrivateDep.dll"));

        Assert.Equal(new Version(1, 0, 0, 0), v1.Version);
        Assert.Equal(new Version(2, 0, 0, 0), v2.Version);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "TestPrivateDep.dll")), "The private dependency leaked into the host's own output.");
    }
}
