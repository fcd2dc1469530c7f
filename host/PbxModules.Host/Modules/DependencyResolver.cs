using Semver;

namespace PbxModules.Host.Modules;

/// <summary>One module as the dependency check sees it.</summary>
/// <param name="Id">The module id.</param>
/// <param name="Version">Its version.</param>
/// <param name="DependsOn">Its dependencies: id → npm-style SemVer range.</param>
public sealed record DependencyNode(string Id, SemVersion Version, IReadOnlyDictionary<string, string> DependsOn);

/// <summary>The load order of the modules that can load, and why the others cannot.</summary>
/// <param name="Order">Ids in an order where every module comes after its dependencies (ties by id, so it is deterministic).</param>
/// <param name="Errors">Id → the reason it cannot load, in the <c>dependsOn</c> field.</param>
public sealed record DependencyResolution(IReadOnlyList<string> Order, IReadOnlyDictionary<string, ManifestProblem> Errors);

/// <summary>
/// Checks <c>dependsOn</c> across all installed modules (unknown module, version out of range,
/// cycles, a dependency that itself failed) and orders the rest so each module starts after what
/// it needs.
/// </summary>
public static class DependencyResolver
{
    /// <summary>Resolves the set of valid manifests.</summary>
    /// <param name="nodes">The modules whose manifests are valid.</param>
    /// <param name="unavailable">Installed modules that cannot load (invalid manifest, duplicate id), id → why: a dependency on one is reported as such, not as "not installed".</param>
    public static DependencyResolution Resolve(IReadOnlyCollection<DependencyNode> nodes, IReadOnlyDictionary<string, string>? unavailable = null)
    {
        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var errors = new Dictionary<string, ManifestProblem>(StringComparer.Ordinal);

        foreach (var node in nodes)
        {
            foreach (var (dependency, rangeText) in node.DependsOn)
            {
                if (!byId.TryGetValue(dependency, out var target))
                {
                    if (unavailable?.TryGetValue(dependency, out var reason) == true)
                    {
                        errors.TryAdd(node.Id, new("dependsOn", ManifestProblemCode.DependencyUnavailable, $": module '{dependency}' cannot load ({reason})"));
                        continue;
                    }
                    errors.TryAdd(node.Id, new("dependsOn", ManifestProblemCode.DependencyNotInstalled, $": module '{dependency}' is not installed. Install it first."));
                    continue;
                }
                var range = SemVersionRange.ParseNpm(rangeText);
                if (!range.Contains(target.Version))
                    errors.TryAdd(node.Id, new($"dependsOn.{dependency}", ManifestProblemCode.DependencyVersion, $" requires '{rangeText}' but version {target.Version} is installed. Install a matching version of '{dependency}'."));
            }
        }

        foreach (var cycle in FindCycles(nodes, byId))
        {
            var path = string.Join(" → ", cycle.Append(cycle[0]));
            foreach (var id in cycle)
                errors.TryAdd(id, new("dependsOn", ManifestProblemCode.DependencyCycle, $": dependency cycle {path}. Break the cycle: modules must not depend on each other in a loop."));
        }

        // A module whose dependency cannot load cannot load either; repeat until nothing changes.
        bool changed;
        do
        {
            changed = false;
            foreach (var node in nodes)
            {
                if (errors.ContainsKey(node.Id)) continue;
                var failed = node.DependsOn.Keys.FirstOrDefault(errors.ContainsKey);
                if (failed is not null)
                {
                    errors[node.Id] = new("dependsOn", ManifestProblemCode.DependencyUnavailable, $": module '{failed}' cannot load ({errors[failed].Message})");
                    changed = true;
                }
            }
        }
        while (changed);

        return new DependencyResolution(TopologicalOrder(nodes.Where(n => !errors.ContainsKey(n.Id)).ToList()), errors);
    }

    private static List<string> TopologicalOrder(List<DependencyNode> nodes)
    {
        var remaining = nodes.ToDictionary(n => n.Id, n => n.DependsOn.Keys.Count(d => nodes.Any(m => m.Id == d)), StringComparer.Ordinal);
        var order = new List<string>(nodes.Count);
        var ready = new SortedSet<string>(remaining.Where(kv => kv.Value == 0).Select(kv => kv.Key), StringComparer.Ordinal);
        while (ready.Count > 0)
        {
            var id = ready.Min!;
            ready.Remove(id);
            order.Add(id);
            foreach (var dependent in nodes.Where(n => n.DependsOn.ContainsKey(id)))
                if (--remaining[dependent.Id] == 0) ready.Add(dependent.Id);
        }
        return order;
    }

    private static List<List<string>> FindCycles(IReadOnlyCollection<DependencyNode> nodes, Dictionary<string, DependencyNode> byId)
    {
        var cycles = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 0 unvisited, 1 on stack, 2 done
        var stack = new List<string>();

        void Visit(string id)
        {
            state[id] = 1;
            stack.Add(id);
            foreach (var dependency in byId[id].DependsOn.Keys.Where(byId.ContainsKey).Order(StringComparer.Ordinal))
            {
                var s = state.GetValueOrDefault(dependency);
                if (s == 0) Visit(dependency);
                else if (s == 1) cycles.Add(stack[stack.IndexOf(dependency)..]);
            }
            stack.RemoveAt(stack.Count - 1);
            state[id] = 2;
        }

        foreach (var node in nodes.OrderBy(n => n.Id, StringComparer.Ordinal))
            if (state.GetValueOrDefault(node.Id) == 0) Visit(node.Id);
        return cycles;
    }
}
