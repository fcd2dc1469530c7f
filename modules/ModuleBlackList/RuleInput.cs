using System.ComponentModel.DataAnnotations;
using ModuleBlackList.Models;

namespace ModuleBlackList;

/// <summary>A rule as REST, import, feature codes and flood protection create it.</summary>
public sealed class RuleInput
{
    /// <summary>A number (<c>+1 (800) 555-0100</c>) or a prefix pattern ending in <c>*</c> (<c>+7495*</c>).</summary>
    [Required, StringLength(64, MinimumLength = 1)]
    public string? Number { get; set; }

    /// <summary>Block (default) or Allow.</summary>
    public RuleKind Kind { get; set; } = RuleKind.Block;

    /// <summary>Why, for people.</summary>
    [StringLength(500)]
    public string? Description { get; set; }

    /// <summary>Disabled rules never match. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When the rule stops applying (a temporary block); null for permanent.</summary>
    public DateTime? ExpiresAt { get; set; }

    /// <summary>The incoming routes (DIDs) it applies to; empty or null for all.</summary>
    public List<string>? Scope { get; set; }
}
