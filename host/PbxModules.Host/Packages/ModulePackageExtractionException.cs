namespace PbxModules.Host.Packages;

/// <summary>
/// <see cref="IModulePackage.ExtractToAsync"/> stopped: the package file changed since it was verified,
/// or an entry turned out to expand further (or land elsewhere) than it declared. Nothing it wrote is
/// left in the target folder. <see cref="Refusal"/> is what to report, as for a refused package.
/// </summary>
public sealed class ModulePackageExtractionException(PackageRefusal refusal) : Exception(refusal.Message)
{
    /// <summary>Why, as a package refusal.</summary>
    public PackageRefusal Refusal { get; } = refusal;
}
