using Semver;

namespace PbxModules.Host.Modules;

/// <summary>
/// Finds the installed modules: every folder under <c>Paths:Modules</c> is one module. Reads and
/// validates each manifest, settles which folder keeps an id that several claim, checks
/// dependencies across modules and puts the result in load order. Folders that cannot load are
/// returned too, with the reason, so the API shows them as Failed instead of hiding them.
/// </summary>
/// <remarks>
/// <para>
/// When several folders claim one id, exactly one keeps it (<see cref="ChooseOwner"/>): the folder
/// recorded for that id in <c>c_modules</c>; when none is recorded (first start, or a record from
/// before folders were recorded, or the recorded folder is gone), the folder with a valid manifest
/// whose name is the id (compared ignoring case, '-', '_', '.' and spaces: <c>ModuleBlackList</c>
/// and <c>module-black-list</c> both name <c>module-black-list</c>); failing that, the first folder
/// with a valid manifest in ordinal name order. So a newcomer never displaces an installed module,
/// whatever its folder is called or whether its own code loads.
/// </para>
/// <para>
/// Each refused folder is listed Failed under <c>&lt;id&gt;@&lt;folder name&gt;</c> (a module id never
/// holds '@', so that cannot clash with a real id), and none of its code is loaded. Every id in
/// the result is unique.
/// </para>
/// </remarks>
internal static class ModuleCatalog
{
    /// <summary>Separates the claimed id from the folder name in the id a refused duplicate is listed under.</summary>
    public const char DuplicateSeparator = '@';

    /// <summary>Discovers the module folders.</summary>
    /// <param name="modulesDirectory">Paths:Modules.</param>
    /// <param name="recordedFolders">Module id → the folder name recorded for it in <c>c_modules</c> (null when not recorded).</param>
    public static List<ModuleEntry> Discover(string modulesDirectory, IReadOnlyDictionary<string, string?>? recordedFolders = null)
    {
        if (!Directory.Exists(modulesDirectory)) return [];

        var folders = Directory.EnumerateDirectories(modulesDirectory)
            // Dot-folders are the host's own (.staging, .backup of an install or upgrade in progress), never a module.
            .Where(folder => !Path.GetFileName(folder).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(folder =>
            {
                var read = ManifestValidator.ReadFromFolder(folder);
                var claimed = read.Manifest?.Id is { Length: > 0 } manifestId ? manifestId : Path.GetFileName(folder);
                return new Candidate(folder, read, claimed);
            })
            .ToList();

        var owners = folders
            .GroupBy(c => c.ClaimedId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ChooseOwner(g.Key, [.. g], recordedFolders?.GetValueOrDefault(g.Key)), StringComparer.Ordinal);

        var entries = new List<ModuleEntry>();
        var usedIds = new HashSet<string>(owners.Keys, StringComparer.Ordinal);
        foreach (var candidate in folders)
        {
            var owner = owners[candidate.ClaimedId];
            if (ReferenceEquals(owner.Candidate, candidate))
            {
                entries.Add(new ModuleEntry(candidate.ClaimedId, candidate.Folder, candidate.Read.Manifest, candidate.Read.Version)
                {
                    ManifestProblems = candidate.Read.Problems,
                });
                continue;
            }
            entries.Add(new ModuleEntry(DuplicateId(candidate, usedIds), candidate.Folder, candidate.Read.Manifest, candidate.Read.Version)
            {
                ClaimedId = candidate.ClaimedId,
                ManifestProblems = [new("id", ManifestProblemCode.DuplicateId, $": '{candidate.ClaimedId}' is already used by the module in '{owner.Candidate.Folder}', which keeps it ({owner.Why}). " +
                    $"This folder was refused and none of its code was loaded. Module ids must be unique: remove this folder, or give its module an id of its own.")],
            });
        }

        var valid = entries.Where(e => e.ManifestError is null).ToList();
        var unavailable = entries
            .Where(e => e.ManifestError is not null && !e.IsRefusedDuplicate)
            .ToDictionary(e => e.Id, e => e.ManifestError!, StringComparer.Ordinal);
        var resolution = DependencyResolver.Resolve([.. valid.Select(e => new DependencyNode(
            e.Id,
            e.Version!,
            e.Manifest!.DependsOn ?? new Dictionary<string, string>()))], unavailable);
        foreach (var entry in valid)
            if (resolution.Errors.TryGetValue(entry.Id, out var problem)) entry.ManifestProblems = [problem];

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

    /// <summary>True when a folder name names the module id, ignoring case and the separators '-', '_', '.' and space.</summary>
    public static bool FolderNamesId(string folderName, string id) => string.Equals(Squash(folderName), Squash(id), StringComparison.Ordinal);

    /// <summary>The folder among <paramref name="candidates"/> (all claiming <paramref name="id"/>, in ordinal folder order) that keeps the id, and why.</summary>
    private static Owner ChooseOwner(string id, IReadOnlyList<Candidate> candidates, string? recordedFolder)
    {
        if (candidates.Count == 1) return new Owner(candidates[0], "the only folder with that id");

        // Whatever its state now (even a manifest broken since): the installed module is never displaced.
        if (recordedFolder is not null && candidates.FirstOrDefault(c => Path.GetFileName(c.Folder) == recordedFolder) is { } recorded)
            return new Owner(recorded, "it is the folder recorded as installed for that id");

        var valid = candidates.Where(c => c.Read.IsValid).ToList();
        if (valid.Count == 0) return new Owner(candidates[0], "no folder has a valid manifest, and it is the first in name order");
        if (valid.FirstOrDefault(c => FolderNamesId(Path.GetFileName(c.Folder), id)) is { } named)
            return new Owner(named, "no folder is recorded as installed for that id, and this one is named after it");
        return new Owner(valid[0], "no folder is recorded as installed for that id or named after it, and this one is the first with a valid manifest in name order");
    }

    /// <summary>The id a refused duplicate is listed under: <c>&lt;id&gt;@&lt;folder name&gt;</c>, unique among <paramref name="usedIds"/>.</summary>
    private static string DuplicateId(Candidate candidate, HashSet<string> usedIds)
    {
        var baseId = $"{candidate.ClaimedId}{DuplicateSeparator}{Path.GetFileName(candidate.Folder)}";
        var id = baseId;
        // Only a manifest whose (invalid) id already holds '@' can make this clash; numbering keeps ids unique even then.
        for (var n = 2; !usedIds.Add(id); n++) id = $"{baseId}{DuplicateSeparator}{n}";
        return id;
    }

    private static string Squash(string text)
        => string.Concat(text.Where(c => c is not ('-' or '_' or '.' or ' '))).ToLowerInvariant();

    private sealed record Candidate(string Folder, ManifestReadResult Read, string ClaimedId);

    private sealed record Owner(Candidate Candidate, string Why);
}
