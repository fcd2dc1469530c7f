using ModuleBlackList.Matching;
using ModuleBlackList.Models;

namespace ModuleBlackList.Rules;

/// <summary>Turns a <see cref="RuleInput"/> into a rule to store: validates it and computes its canonical form.</summary>
internal static class RuleBuilder
{
    /// <summary>The rule, or the validation errors by field.</summary>
    /// <param name="input">What the caller asked for.</param>
    /// <param name="source">Who made it (<c>rest</c>, <c>import</c>, <c>feature-code</c>, <c>flood</c>).</param>
    /// <param name="normalizer">The current normaliser (the rule and its scope are stored canonical).</param>
    /// <param name="now">The current UTC time (an expiry must be later).</param>
    public static (BlackListNumbers? Rule, Dictionary<string, string[]>? Errors) Build(RuleInput input, string source, PhoneNormalizer normalizer, DateTime now)
    {
        var errors = ModelErrors.Of(input) ?? [];
        var number = input.Number?.Trim() ?? "";
        var isPrefix = number.EndsWith('*');
        var normalized = isPrefix ? normalizer.NormalizePrefix(number) : normalizer.Normalize(number);
        if (number.Length > 0 && normalized.Length == 0)
            errors.TryAdd("number", ["is not a phone number or prefix: use digits, an optional leading '+', formatting characters, and a trailing '*' for a prefix."]);
        if (isPrefix && number.TrimEnd('*').Contains('*'))
            errors.TryAdd("number", ["may contain '*' only at the end (a prefix)."]);
        if (input.ExpiresAt is { } expires && expires.ToUniversalTime() <= now)
            errors.TryAdd("expiresAt", ["is in the past."]);
        var scope = (input.Scope ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => normalizer.Normalize(s)).ToList();
        if (scope.Any(s => s.Length == 0))
            errors.TryAdd("scope", ["every entry must be a phone number (a route's DID)."]);
        if (errors.Count > 0) return (null, errors);
        return (new BlackListNumbers
        {
            Number = number,
            Normalized = normalized,
            IsPrefix = isPrefix,
            Kind = input.Kind,
            Description = input.Description?.Trim() ?? "",
            Enabled = input.Enabled,
            CreatedAt = now,
            ExpiresAt = input.ExpiresAt?.ToUniversalTime(),
            Scope = string.Join(',', scope.Distinct()),
            Source = source,
        }, null);
    }

    /// <summary>Copies what <see cref="Build"/> computed onto a stored rule (a replacing update keeps its id, creation time and source).</summary>
    public static void CopyFields(BlackListNumbers from, BlackListNumbers to)
    {
        to.Number = from.Number;
        to.Normalized = from.Normalized;
        to.IsPrefix = from.IsPrefix;
        to.Kind = from.Kind;
        to.Description = from.Description;
        to.Enabled = from.Enabled;
        to.ExpiresAt = from.ExpiresAt;
        to.Scope = from.Scope;
    }
}
