namespace PbxModules.Host.Packages;

/// <summary>Where things are inside a module package: the contract between <c>dotnet pack</c> (sdk/build) and the host.</summary>
public static class ModulePackageLayout
{
    /// <summary>The NuGet package type every module package declares.</summary>
    public const string PackageType = "PbxModule";

    /// <summary>The one folder of the package that holds the module folder (module.json, assemblies, deps.json), as <c>tools/</c> does for a dotnet tool.</summary>
    public const string ModuleFolder = "module/";

    /// <summary>The manifest inside the module folder.</summary>
    public const string ManifestEntry = ModuleFolder + "module.json";
}
