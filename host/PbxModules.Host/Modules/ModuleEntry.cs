using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Modules;

/// <summary>
/// The module manager's working record of one module folder. Mutated only under the manager's
/// lock; the API reads <see cref="ToInfo"/> snapshots.
/// </summary>
internal sealed class ModuleEntry(string id, string folder, ModuleManifest? manifest, SemVersion? version)
{
    public string Id { get; } = id;

    public string Folder { get; } = folder;

    public ModuleManifest? Manifest { get; } = manifest;

    public SemVersion? Version { get; } = version;

    /// <summary>Set when the manifest or its dependencies make the module unloadable, whatever an administrator asks.</summary>
    public string? ManifestError { get; set; }

    public ModuleState State { get; set; } = ModuleState.Disabled;

    public string? Reason { get; set; }

    public string? InstalledVersion { get; set; }

    public LoadedModule? Loaded { get; set; }

    public IReadOnlyCollection<string> DependsOn => (IReadOnlyCollection<string>?)Manifest?.DependsOn?.Keys ?? [];

    public void Fail(string reason)
    {
        State = ModuleState.Failed;
        Reason = reason;
    }

    public ModuleInfo ToInfo() => new(
        Id,
        Manifest?.Name is { Length: > 0 } name ? name : Path.GetFileName(Folder),
        Manifest?.Version,
        InstalledVersion,
        State,
        Reason,
        Manifest?.Description,
        Manifest?.Developer,
        Folder);
}
