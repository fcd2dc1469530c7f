using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Packages;
using PbxModules.Sdk.Testing.Packages;

namespace PbxModules.Host.Tests.Packages.Verification;

/// <summary>
/// A temporary folder of module packages for one test, and the verifier as the daemon wires it
/// (AddPbxPackages), with the <c>Modules</c> settings the test gives.
/// </summary>
internal sealed class PackageTestFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("pbxmodules-packages-").FullName;

    /// <summary>The built GoodModule folder (module.json, GoodModule.dll, …) the test packages carry.</summary>
    public static string GoodModuleFolder => Path.Combine(ModuleHostFixture.DeployedModules, "GoodModule");

    /// <summary>A package of GoodModule (test-good 1.0.0), to change before building.</summary>
    public static ModulePackageBuilder GoodModule() => ModulePackageBuilder.FromModuleFolder(GoodModuleFolder);

    public string PathOf(string fileName) => Path.Combine(Root, fileName);

    public Task<string> BuildAsync(ModulePackageBuilder builder, string fileName = "module.nupkg") => builder.BuildAsync(PathOf(fileName));

    /// <summary>The verifier with these <c>Modules</c> settings (e.g. <c>["AllowUnsigned"] = "true"</c>).</summary>
    public static IModulePackageVerifier Verifier(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{ModulePackageOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection().AddLogging().AddPbxPackages(configuration).BuildServiceProvider();
        return services.GetRequiredService<IModulePackageVerifier>();
    }

    /// <summary>Every file and folder under <see cref="Root"/>, relative, sorted: to show a refusal wrote nothing.</summary>
    public IReadOnlyList<string> Contents()
        => [.. Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Root, p)).Order(StringComparer.Ordinal)];

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
