using ModuleBlackList.Matching;

namespace ModuleBlackList;

/// <summary>What the in-call check decided.</summary>
/// <param name="Blocked">True when the caller must be rejected.</param>
/// <param name="Normalized">The caller's canonical number (empty for an anonymous caller).</param>
/// <param name="Rule">The deciding rule (block or allow); null when none.</param>
/// <param name="Reason">For a block: the rule's pattern, or <c>anonymous</c>.</param>
public sealed record CheckResult(bool Blocked, string Normalized, IndexedRule? Rule, string? Reason);
