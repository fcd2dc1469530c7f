namespace PbxModules.Host.Packages;

/// <summary>
/// Opens a <c>.nupkg</c> and checks everything that can be checked before anything installed is touched:
/// size, entries (no path leaving the module folder, no absolute path, no link), package type, manifest,
/// id and version, signature (<c>Modules:TrustedSigners</c>, <c>Modules:AllowUnsigned</c>) and SDK range.
/// Dependencies are not checked here (they need the installed modules and the feeds).
/// </summary>
public interface IModulePackageVerifier
{
    /// <summary>Verifies the package file at <paramref name="nupkgPath"/>; never throws for a bad package, only for cancellation.</summary>
    Task<PackageCheck> VerifyAsync(string nupkgPath, CancellationToken cancellationToken);
}

/// <summary>Either a verified package or the refusal.</summary>
public sealed record PackageCheck(IModulePackage? Package, PackageRefusal? Refusal)
{
    public static PackageCheck Accepted(IModulePackage package) => new(package, null);

    public static PackageCheck Refused(PackageRefusalCode code, string message) => new(null, new PackageRefusal(code, message));
}
