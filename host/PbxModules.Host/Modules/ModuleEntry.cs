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

    /// <summary>What in the manifest or its dependencies makes the module unloadable, whatever an administrator asks; empty when nothing does.</summary>
    public IReadOnlyList<ManifestProblem> ManifestProblems { get; set; } = [];

    /// <summary>The problems' messages as one text; null when there are none.</summary>
    public string? ManifestError => ManifestProblems.Count == 0 ? null : string.Join(" ", ManifestProblems.Select(p => p.Message));

    public ModuleState State { get; set; } = ModuleState.Disabled;

    public string? Reason { get; set; }

    public string? InstalledVersion { get; set; }

    public LoadedModule? Loaded { get; set; }

    /// <summary>The package the module was installed from, as <c>c_modules</c> records it; null for a module deployed as a folder.</summary>
    public Packages.ModulePackageInfo? Package { get; set; }

    /// <summary>
    /// Whether <c>c_modules</c> says the module is loaded at start-up (or will say so at the next save).
    /// True for a module seen for the first time: it is installed and enabled unless it vetoes.
    /// </summary>
    public bool RecordedEnabled { get; private set; } = true;

    /// <summary>Why the host disabled the module by itself, as <c>c_modules</c> records it; null when an administrator did or it is enabled.</summary>
    public string? RecordedDisabledReason { get; private set; }

    /// <summary>Sets what the next <see cref="HostData.ModuleStateStore.SaveAsync(ModuleEntry, CancellationToken)"/> records.</summary>
    public void Record(bool enabled, string? disabledReason)
    {
        RecordedEnabled = enabled;
        RecordedDisabledReason = disabledReason;
    }

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
        Folder)
    {
        Package = Package,
    };
}
