using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>
/// <c>/pbxcore/api/v3/module-black-list/numbers</c>: the rules, in MikoPBX's URL shape. Reads go to
/// the database; every change goes through <see cref="BlackListService"/>, so the in-memory index
/// the in-call check reads follows it before the answer is sent.
/// </summary>
[ApiResource("numbers", Description = "Block and allow rules of the blacklist.")]
[ResourceSecurity("BlackList:Read")]
public sealed class NumbersResource(BlackListService blackList, BlackListDbContext db, ListReadiness readiness)
{
    private static readonly string[] OrderFields = ["id", "number", "createdAt", "hitCount", "lastHitAt"];

    /// <summary>getList: a page of rules; <c>search</c> looks in the pattern, its canonical form and the description.</summary>
    /// <param name="query">limit, offset, search, order (id, number, createdAt, hitCount, lastHitAt).</param>
    /// <param name="kind">Only Block or only Allow rules.</param>
    /// <param name="enabled">Only enabled (true) or disabled (false) rules.</param>
    /// <param name="cancellationToken">The request's.</param>
    [HttpMapping("GET", Summary = "Lists rules, a page at a time; filters: search, kind=Block|Allow, enabled=true|false.")]
    public async Task<PbxApiResult> GetList(ApiListQuery query, string? kind, bool? enabled, CancellationToken cancellationToken)
    {
        if (!TryParseKind(kind, out var ruleKind)) return InvalidKind(kind);
        IQueryable<BlackListNumbers> rules = db.Numbers.AsNoTracking();
        if (ruleKind is { } k) rules = rules.Where(n => n.Kind == k);
        if (enabled is { } e) rules = rules.Where(n => n.Enabled == e);
        if (query.Search is { } search)
        {
            var pattern = RestQuery.Contains(search);
            var digits = RestQuery.Digits(search);
            var digitsPattern = digits.Length > 0 ? RestQuery.Contains(digits) : null;
            rules = rules.Where(n => EF.Functions.Like(n.Number, pattern, "\\")
                || EF.Functions.Like(n.Description, pattern, "\\")
                || (digitsPattern != null && EF.Functions.Like(n.Normalized, digitsPattern, "\\")));
        }

        var d = query.Descending;
        switch (query.OrderField)
        {
            case null or "id": rules = d ? rules.OrderByDescending(n => n.Id) : rules.OrderBy(n => n.Id); break;
            case "number": rules = d ? rules.OrderByDescending(n => n.Number).ThenByDescending(n => n.Id) : rules.OrderBy(n => n.Number).ThenBy(n => n.Id); break;
            case "createdAt": rules = d ? rules.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id) : rules.OrderBy(n => n.CreatedAt).ThenBy(n => n.Id); break;
            case "hitCount": rules = d ? rules.OrderByDescending(n => n.HitCount).ThenByDescending(n => n.Id) : rules.OrderBy(n => n.HitCount).ThenBy(n => n.Id); break;
            case "lastHitAt": rules = d ? rules.OrderByDescending(n => n.LastHitAt).ThenByDescending(n => n.Id) : rules.OrderBy(n => n.LastHitAt).ThenBy(n => n.Id); break;
            default: return query.InvalidOrder(OrderFields);
        }

        var total = await rules.CountAsync(cancellationToken);
        var page = await rules.Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return query.ToPage(page.ConvertAll(RuleView.From), total);
    }

    /// <summary>getRecord.</summary>
    [HttpMapping("GET", "{id:int}", Summary = "One rule.")]
    public async Task<PbxApiResult> GetRecord(int id, CancellationToken cancellationToken)
        => await db.Numbers.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, cancellationToken) is { } rule
            ? PbxApiResult.Ok(RuleView.From(rule))
            : NotFound(id);

    /// <summary>create: 201 with the rule; 422 when it does not validate; 409 when the same rule exists.</summary>
    [HttpMapping("POST", Summary = "Adds a rule (a number, or a prefix ending in '*').")]
    [ResourceSecurity("BlackList:Write")]
    public async Task<PbxApiResult> Create(RuleInput input, CancellationToken cancellationToken)
    {
        var (built, errors) = blackList.Build(input, "rest");
        if (built is null) return PbxApiResult.ValidationFailed(errors!);
        if (await FindSameAsync(built, exceptId: null, cancellationToken) is { } same) return Duplicate(same);
        var (rule, addErrors) = await blackList.AddAsync(input, "rest", cancellationToken);
        return rule is null ? PbxApiResult.ValidationFailed(addErrors!) : PbxApiResult.Created(RuleView.From(rule));
    }

    /// <summary>update: replaces every field of a rule.</summary>
    [HttpMapping("PUT", "{id:int}", Summary = "Replaces a rule.")]
    [ResourceSecurity("BlackList:Write")]
    public async Task<PbxApiResult> Update(int id, RuleInput input, CancellationToken cancellationToken)
    {
        var (built, errors) = blackList.Build(input, "rest");
        if (built is null) return PbxApiResult.ValidationFailed(errors!);
        // A missing rule is a 404 even when the input repeats another rule.
        if (!await db.Numbers.AnyAsync(n => n.Id == id, cancellationToken)) return NotFound(id);
        if (await FindSameAsync(built, exceptId: id, cancellationToken) is { } same) return Duplicate(same);
        var (rule, updateErrors) = await blackList.UpdateAsync(id, input, cancellationToken);
        if (updateErrors is not null) return PbxApiResult.ValidationFailed(updateErrors);
        return rule is null ? NotFound(id) : PbxApiResult.Ok(RuleView.From(rule));
    }

    /// <summary>patch: description, enabled, expiresAt (null makes the rule permanent).</summary>
    [HttpMapping("PATCH", "{id:int}", Summary = "Changes a rule's description, enabled flag or expiry.")]
    [ResourceSecurity("BlackList:Write")]
    public async Task<PbxApiResult> Patch(int id, RulePatch patch, TimeProvider time, CancellationToken cancellationToken)
    {
        if (patch.ExpiresAt is { } expires && expires.ToUniversalTime() <= time.GetUtcNow().UtcDateTime)
            return PbxApiResult.ValidationFailed("expiresAt", "is in the past.");
        var rule = await blackList.ChangeAsync(id, r =>
        {
            if (patch.Description is { } description) r.Description = description.Trim();
            if (patch.Enabled is { } enabled) r.Enabled = enabled;
            if (patch.ExpiresAtGiven) r.ExpiresAt = patch.ExpiresAt?.ToUniversalTime();
        }, cancellationToken);
        return rule is null ? NotFound(id) : PbxApiResult.Ok(RuleView.From(rule));
    }

    /// <summary>delete.</summary>
    [HttpMapping("DELETE", "{id:int}", Summary = "Removes a rule.")]
    [ResourceSecurity("BlackList:Write")]
    public async Task<PbxApiResult> Delete(int id, CancellationToken cancellationToken)
        => await blackList.DeleteAsync([id], cancellationToken) > 0
            ? PbxApiResult.Done($"Rule {id} removed.")
            : NotFound(id);

    /// <summary>
    /// check: what the in-call check would decide for a caller (and route), after normalisation,
    /// against the in-memory index the calls use.
    /// </summary>
    /// <param name="number">The caller id, written any way (<c>+1 (800) 555-0100</c>).</param>
    /// <param name="did">The incoming route's number, for scoped rules; optional.</param>
    /// <param name="cancellationToken">The request's.</param>
    [HttpMapping("GET", ":check", Summary = "Which rule would match a caller (number=, optional did=), after normalisation.")]
    public async Task<PbxApiResult> Check(string? number, string? did, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(number)) return PbxApiResult.ValidationFailed("number", "is required: the caller id to check, e.g. ?number=%2B18005550100.");
        if (await readiness.WaitAsync(cancellationToken) is { } loading) return loading;
        var result = blackList.Check(number, did);
        var outcome = result.Blocked ? "Blocked" : result.Rule is { Kind: RuleKind.Allow } ? "Allowed" : "None";
        return PbxApiResult.Ok(new CheckView(
            number, result.Normalized, did, string.IsNullOrWhiteSpace(did) ? null : blackList.Normalizer.Normalize(did),
            result.Blocked, outcome, result.Reason,
            result.Rule is { } r ? new CheckRuleView(r.Id, r.Pattern, r.Kind) : null));
    }

    internal static bool TryParseKind(string? text, out RuleKind? kind)
    {
        kind = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Enum.TryParse<RuleKind>(text.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(text.Trim()[0])) return false;
        kind = parsed;
        return true;
    }

    internal static PbxApiResult InvalidKind(string? kind) => PbxApiResult.ValidationFailed("kind", $"must be Block or Allow; got '{kind}'.");

    private static PbxApiResult NotFound(int id) => PbxApiResult.NotFound($"No blacklist rule with id {id}.");

    private static PbxApiResult Duplicate(BlackListNumbers same)
        => PbxApiResult.Conflict($"Rule {same.Id} ('{same.Number}') already {(same.Kind == RuleKind.Allow ? "allows" : "blocks")} this number on the same routes; change that rule instead.");

    private async Task<BlackListNumbers?> FindSameAsync(BlackListNumbers rule, int? exceptId, CancellationToken cancellationToken)
    {
        var key = RuleScope.Key(rule);
        var candidates = await db.Numbers.AsNoTracking()
            .Where(n => n.Normalized == rule.Normalized && n.IsPrefix == rule.IsPrefix && n.Kind == rule.Kind && n.Id != (exceptId ?? 0))
            .ToListAsync(cancellationToken);
        return candidates.FirstOrDefault(c => RuleScope.Key(c) == key);
    }
}

/// <summary>What <c>numbers:check</c> answers.</summary>
/// <param name="Number">The number as asked.</param>
/// <param name="Normalized">Its canonical form (empty when it is not a number: anonymous).</param>
/// <param name="Did">The route as asked.</param>
/// <param name="NormalizedDid">The route's canonical form.</param>
/// <param name="Blocked">True when a call from this number (on this route) would be rejected.</param>
/// <param name="Outcome">Blocked, Allowed (an allow rule wins) or None.</param>
/// <param name="Reason">For a block: the rule's pattern, or <c>anonymous</c>.</param>
/// <param name="Rule">The deciding rule; null when none (or the anonymous setting decided).</param>
public sealed record CheckView(string Number, string Normalized, string? Did, string? NormalizedDid, bool Blocked, string Outcome, string? Reason, CheckRuleView? Rule);

/// <summary>The rule that decided a check.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Number">Its pattern as written.</param>
/// <param name="Kind">Block or Allow.</param>
public sealed record CheckRuleView(int Id, string Number, RuleKind Kind);
