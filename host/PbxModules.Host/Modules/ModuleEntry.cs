using PbxModules.Host.Text;
using PbxModules.Sdk.Modules;
using Semver;

namespace PbxModules.Host.Modules;

/// <summary>
/// The module manager's working record of one module folder. Mutated only under the manager's
/// lock; the API reads <see cref="ToInfo"/> snapshots.
/// </summary>
internal sealed class ModuleEntry(string id, string folder, ModuleManifest? manifest, SemVersion? version)
{
    /// <summary>The id the module is known by; unique. A refused duplicate's is <c>&lt;claimed id&gt;@&lt;folder name&gt;</c>.</summary>
    public string Id { get; } = id;

    /// <summary>The id its manifest claims (the folder name when it has none); differs from <see cref="Id"/> only for a refused duplicate.</summary>
    public string ClaimedId { get; init; } = id;

    /// <summary>True when another folder keeps the id this one claims (<see cref="ModuleCatalog"/>): nothing of it is ever loaded.</summary>
    public bool IsRefusedDuplicate => ClaimedId != Id;

    /// <summary>The folder's name, as <c>c_modules</c> records it.</summary>
    public string FolderName => Path.GetFileName(Folder);

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

    /// <summary>Marks the module Failed; the reason is kept as one or more whole sentences, so that messages built on it never double a period.</summary>
    public void Fail(string reason)
    {
        State = ModuleState.Failed;
        Reason = Sentences.End(reason);
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
