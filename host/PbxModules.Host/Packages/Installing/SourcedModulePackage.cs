using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Packages.Installing;

/// <summary>
/// A verified package with where it came from (an upload, a feed), which the verifier cannot know:
/// it is recorded in <c>c_modules</c> and shown with the installed module.
/// </summary>
internal sealed class SourcedModulePackage(IModulePackage package, string source) : IModulePackage
{
    public string Id => package.Id;

    public SemVersion Version => package.Version;

    public ModuleManifest Manifest => package.Manifest;

    public PackageSignatureInfo Signature => package.Signature;

    public string Sha256 => package.Sha256;

    public string? Source { get; } = source;

    public Task ExtractToAsync(string directory, CancellationToken cancellationToken) => package.ExtractToAsync(directory, cancellationToken);
}
