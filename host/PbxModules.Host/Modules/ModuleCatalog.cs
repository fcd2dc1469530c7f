using Semver;

namespace PbxModules.Host.Modules;

/// <summary>
/// Finds the installed modules: every folder under <c>Paths:Modules</c> is one module. Reads and
/// validates each manifest, refuses duplicate ids, checks dependencies across modules and puts the
/// result in load order. Folders that cannot load are returned too, with the reason, so the API
/// shows them as Failed instead of hiding them.
/// </summary>
internal static class ModuleCatalog
{
    public static List<ModuleEntry> Discover(string modulesDirectory)
    {
        if (!Directory.Exists(modulesDirectory)) return [];

        var entries = new List<ModuleEntry>();
        var firstFolderById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(modulesDirectory).Order(StringComparer.Ordinal))
        {
            var read = ManifestValidator.ReadFromFolder(folder);
            var id = read.Manifest?.Id is { Length: > 0 } manifestId ? manifestId : Path.GetFileName(folder);
            var entry = new ModuleEntry(id, folder, read.Manifest, read.Version);
            if (!read.IsValid)
            {
                entry.ManifestError = string.Join(" ", read.Errors);
            }
            else if (!firstFolderById.TryAdd(id, folder))
            {
                entry.ManifestError = $"Field 'id': '{id}' is already used by the module in '{firstFolderById[id]}'. Module ids must be unique; remove one of the two folders.";
            }
            entries.Add(entry);
        }

        var valid = entries.Where(e => e.ManifestError is null).ToList();
        var unavailable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.ManifestError is not null && !firstFolderById.ContainsKey(e.Id)))
            unavailable.TryAdd(entry.Id, entry.ManifestError!);
        var resolution = DependencyResolver.Resolve([.. valid.Select(e => new DependencyNode(
            e.Id,
            e.Version!,
            e.Manifest!.DependsOn ?? new Dictionary<string, string>()))], unavailable);
        foreach (var entry in valid)
            if (resolution.Errors.TryGetValue(entry.Id, out var error)) entry.ManifestError = error;

        foreach (var entry in entries.Where(e => e.ManifestError is not null))
            entry.Fail(entry.ManifestError!);

        // Loadable modules in dependency order, then the ones that cannot load, by folder.
        var position = resolution.Order.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        return [.. entries
            .OrderBy(e => e.ManifestError is null && position.TryGetValue(e.Id, out var p) ? p : int.MaxValue)
            .ThenBy(e => e.Folder, StringComparer.Ordinal)];
    }

    public static SemVersion? ParseVersion(string? text)
        => text is not null && SemVersion.TryParse(text, SemVersionStyles.Strict, out var v) ? v : null;
}
