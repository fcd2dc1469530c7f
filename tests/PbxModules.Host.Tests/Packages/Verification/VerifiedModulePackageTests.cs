using PbxModules.Host.Packages;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.Host.Tests.Packages.Verification;

public sealed class VerifiedModulePackageTests : IDisposable
{
    private readonly PackageTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static async Task<IModulePackage> VerifiedAsync(string path)
    {
        var check = await PackageTestFolder.Verifier(("AllowUnsigned", "true")).VerifyAsync(path, CancellationToken.None);
        Assert.True(check.Package is not null, check.Refusal?.Message);
        return check.Package;
    }

    private static string[] Files(string folder)
        => [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Extracts_exactly_the_module_folder_without_the_package_s_own_files()
    {
        var package = await VerifiedAsync(await _folder.BuildAsync(PackageTestFolder.GoodModule().AddModuleFile("data/seed file+1.csv", "a,b\n")));
        var target = _folder.PathOf("extracted");

        await package.ExtractToAsync(target, CancellationToken.None);

        string[] expected = [.. Files(PackageTestFolder.GoodModuleFolder).Append(Path.Combine("data", "seed file+1.csv")).Order(StringComparer.Ordinal)];
        Assert.Equal(expected, Files(target));
        foreach (var file in Files(PackageTestFolder.GoodModuleFolder))
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(PackageTestFolder.GoodModuleFolder, file)), await File.ReadAllBytesAsync(Path.Combine(target, file)));
        Assert.Equal("a,b\n", await File.ReadAllTextAsync(Path.Combine(target, "data", "seed file+1.csv")));
    }

    [Fact]
    public async Task Extracts_into_an_existing_empty_folder()
    {
        var package = await VerifiedAsync(await _folder.BuildAsync(PackageTestFolder.GoodModule()));
        var target = Directory.CreateDirectory(_folder.PathOf("empty")).FullName;

        await package.ExtractToAsync(target, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(target, "module.json")));
    }

    [Fact]
    public async Task Refuses_a_folder_that_is_not_empty_and_leaves_it_alone()
    {
        var package = await VerifiedAsync(await _folder.BuildAsync(PackageTestFolder.GoodModule()));
        var target = Directory.CreateDirectory(_folder.PathOf("occupied")).FullName;
        await File.WriteAllTextAsync(Path.Combine(target, "keep.txt"), "mine");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => package.ExtractToAsync(target, CancellationToken.None));

        Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Files(target));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(target, "keep.txt")));
    }

    [Fact]
    public async Task Refuses_a_package_file_that_changed_after_verification_and_writes_nothing()
    {
        var path = await _folder.BuildAsync(PackageTestFolder.GoodModule());
        var package = await VerifiedAsync(path);
        await _folder.BuildAsync(PackageTestFolder.GoodModule().AddModuleFile("extra.txt", "swapped in"), Path.GetFileName(path));
        var target = _folder.PathOf("extracted");

        var error = await Assert.ThrowsAsync<ModulePackageExtractionException>(() => package.ExtractToAsync(target, CancellationToken.None));

        Assert.Equal(PackageRefusalCode.Corrupt, error.Refusal.Code);
        Assert.Contains("changed after it was verified", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }
}
