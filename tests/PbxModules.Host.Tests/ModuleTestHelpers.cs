using Microsoft.Extensions.DependencyInjection;
using PbxModules.Host.Modules;
using PbxModules.Sdk.Dialplan;
using PbxModules.Sdk.Modules;

namespace PbxModules.Host.Tests;

/// <summary>Reads what a loaded module contributes, through SDK types only (tests never reference a module).</summary>
internal static class ModuleTestHelpers
{
    /// <summary>Runs every dialplan contributor of a module and returns its globals.</summary>
    public static async Task<Dictionary<string, string>> ContributedGlobalsAsync(LoadedModule module)
    {
        var builder = new DialplanBuilder(module.Id, "agi://127.0.0.1:4573");
        foreach (var contribution in module.Contributions.Where(c => c.Kind == ContributionKind.Dialplan))
        {
            var contributor = (IDialplanContributor)module.Services.GetRequiredService(contribution.ImplementationType);
            await contributor.ContributeAsync(builder, CancellationToken.None);
        }
        return builder.Globals.ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal);
    }
}
