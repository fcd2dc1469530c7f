using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using ModuleBlackList.Matching;
using ModuleBlackList.Models;

namespace ModuleBlackList.Rules;

/// <summary>
/// Stores every rule again in the canonical form of a new normaliser: a rule keeps the number as
/// typed, so a change of default region or international prefixes can recompute what it matches.
/// </summary>
internal static class RuleRenormalizer
{
    /// <summary>Renormalises and saves every rule and its scope; returns the stored rules, for the index.</summary>
    public static async Task<List<BlackListNumbers>> RenormalizeAsync(BlackListDbContext db, PhoneNormalizer normalizer, CancellationToken cancellationToken)
    {
        foreach (var rule in await db.Numbers.ToListAsync(cancellationToken))
        {
            rule.Normalized = rule.IsPrefix ? normalizer.NormalizePrefix(rule.Number) : normalizer.Normalize(rule.Number);
            if (!string.IsNullOrEmpty(rule.Scope))
                rule.Scope = string.Join(',', rule.Scope.Split(',').Select(normalizer.Normalize).Where(s => s.Length > 0));
        }
        await db.SaveChangesAsync(cancellationToken);
        return await db.Numbers.AsNoTracking().ToListAsync(cancellationToken);
    }
}
