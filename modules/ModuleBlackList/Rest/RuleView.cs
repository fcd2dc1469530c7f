using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using ModuleBlackList.Models;

namespace ModuleBlackList.Rest;

/// <summary>A rule as the API shows it.</summary>
/// <param name="Id">Key.</param>
/// <param name="Number">The pattern as written (<c>+1 (800) 555-0100</c>, <c>+7495*</c>).</param>
/// <param name="Normalized">The canonical form the check matches on (without the trailing <c>*</c>).</param>
/// <param name="IsPrefix">True for a prefix pattern.</param>
/// <param name="Kind">Block or Allow.</param>
/// <param name="Description">Why, for people.</param>
/// <param name="Enabled">Disabled rules never match.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="ExpiresAt">When it stops applying (UTC); null for never.</param>
/// <param name="Scope">The routes (DIDs) it applies to; empty for all.</param>
/// <param name="HitCount">How many calls it matched.</param>
/// <param name="LastHitAt">When it last matched (UTC).</param>
/// <param name="Source">rest, import, feature-code or flood.</param>
public sealed record RuleView(
    int Id, string Number, string Normalized, bool IsPrefix, RuleKind Kind, string Description, bool Enabled,
    DateTime CreatedAt, DateTime? ExpiresAt, string[] Scope, long HitCount, DateTime? LastHitAt, string Source)
{
    /// <summary>The view of a stored rule. SQLite hands dates back without a kind; they are stored as UTC, so they are sent as UTC (with a Z).</summary>
    public static RuleView From(BlackListNumbers rule) => new(
        rule.Id, rule.Number, rule.Normalized, rule.IsPrefix, rule.Kind, rule.Description, rule.Enabled,
        Utc(rule.CreatedAt), Utc(rule.ExpiresAt), RuleScope.Split(rule.Scope), rule.HitCount, Utc(rule.LastHitAt), rule.Source);

    internal static DateTime Utc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}

/// <summary>
/// The body of <c>PATCH …/numbers/{id}</c>: only the fields present change. A property's setter
/// runs only when the JSON names it, which is how an explicit <c>"expiresAt": null</c> (make the
/// rule permanent) differs from leaving the expiry alone.
/// </summary>
public sealed class RulePatch
{
    private DateTime? _expiresAt;

    /// <summary>A new description.</summary>
    [StringLength(500)]
    public string? Description { get; set; }

    /// <summary>Enable or disable the rule.</summary>
    public bool? Enabled { get; set; }

    /// <summary>A new expiry (UTC), or null to make the rule permanent.</summary>
    public DateTime? ExpiresAt
    {
        get => _expiresAt;
        set
        {
            _expiresAt = value;
            ExpiresAtGiven = true;
        }
    }

    /// <summary>True when the body named <c>expiresAt</c> (even as null).</summary>
    [JsonIgnore]
    public bool ExpiresAtGiven { get; private set; }
}

/// <summary>The stored form of a rule's scope: normalised DIDs, comma-separated.</summary>
internal static class RuleScope
{
    public static string[] Split(string? scope)
        => string.IsNullOrWhiteSpace(scope) ? [] : scope.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// What makes two rules the same: canonical pattern, prefix or not, kind, and the set of routes
    /// (order does not matter). A second rule with the same key would change nothing, so create
    /// answers 409 and import skips it.
    /// </summary>
    public static string Key(BlackListNumbers rule)
        => $"{(rule.IsPrefix ? "p" : "e")}|{rule.Kind}|{rule.Normalized}|{string.Join(',', Split(rule.Scope).Order(StringComparer.Ordinal))}";
}
