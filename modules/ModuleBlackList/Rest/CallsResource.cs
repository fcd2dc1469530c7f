using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using ModuleBlackList.Models;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>A blocked call as the API shows it.</summary>
/// <param name="Id">Key.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Number">The caller id as Asterisk gave it.</param>
/// <param name="Normalized">The caller id normalised.</param>
/// <param name="Did">The route's number, when known.</param>
/// <param name="RuleId">The matching rule; null for the anonymous rule or fail-closed.</param>
/// <param name="Reason">The rule's pattern, <c>anonymous</c> or <c>fail-closed</c>.</param>
/// <param name="Action">What was done.</param>
/// <param name="Channel">The Asterisk channel.</param>
/// <param name="UniqueId">The call's unique id.</param>
public sealed record CallView(long Id, DateTime At, string Number, string Normalized, string Did, int? RuleId, string Reason, string Action, string Channel, string UniqueId)
{
    /// <summary>The view of a stored call.</summary>
    public static CallView From(BlackListCalls c) => new(c.Id, RuleView.Utc(c.At), c.Number, c.Normalized, c.Did, c.RuleId, c.Reason, c.Action, c.Channel, c.UniqueId);
}

/// <summary>
/// <c>GET /pbxcore/api/v3/module-black-list/calls</c>: the log of blocked calls, newest first. The
/// check handler logs in the background in batches (at most a second behind), so a call shows up
/// here shortly after it was rejected.
/// </summary>
[ApiResource("calls", Description = "The log of blocked calls.")]
[ResourceSecurity("BlackList:Read")]
public sealed class CallsResource(BlackListService blackList, BlackListDbContext db)
{
    /// <summary>getList with filters.</summary>
    /// <param name="query">limit, offset, search (number, reason, channel), order (at, id; default -at).</param>
    /// <param name="from">Calls at or after this time (ISO 8601; UTC unless it says otherwise).</param>
    /// <param name="to">Calls before this time.</param>
    /// <param name="number">Calls from this number, written any way (it is normalised).</param>
    /// <param name="rule">Calls blocked by this rule id.</param>
    /// <param name="did">Calls on this route.</param>
    /// <param name="cancellationToken">The request's.</param>
    [HttpMapping("GET", Summary = "Lists blocked calls, newest first; filters: from, to, number, rule, did, search.")]
    public async Task<PbxApiResult> GetList(ApiListQuery query, string? from, string? to, string? number, int? rule, string? did, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var since = RestQuery.Time(from, "from", errors);
        var until = RestQuery.Time(to, "to", errors);
        if (since is { } s0 && until is { } u0 && u0 <= s0) errors["to"] = ["must be after from."];
        if (errors.Count > 0) return PbxApiResult.ValidationFailed(errors);

        IQueryable<BlackListCalls> calls = db.Calls.AsNoTracking();
        if (since is { } s) calls = calls.Where(c => c.At >= s);
        if (until is { } u) calls = calls.Where(c => c.At < u);
        if (rule is { } r) calls = calls.Where(c => c.RuleId == r);
        if (!string.IsNullOrWhiteSpace(number))
        {
            var raw = number.Trim();
            var normalized = blackList.Normalizer.Normalize(raw);
            calls = normalized.Length > 0 ? calls.Where(c => c.Normalized == normalized || c.Number == raw) : calls.Where(c => c.Number == raw);
        }
        if (!string.IsNullOrWhiteSpace(did))
        {
            // The log keeps the route as the dialplan passed it; match it as written or canonical.
            var raw = did.Trim();
            var normalized = blackList.Normalizer.Normalize(raw);
            calls = calls.Where(c => c.Did == raw || c.Did == normalized);
        }
        if (query.Search is { } search)
        {
            var pattern = RestQuery.Contains(search);
            calls = calls.Where(c => EF.Functions.Like(c.Number, pattern, "\\") || EF.Functions.Like(c.Normalized, pattern, "\\")
                || EF.Functions.Like(c.Reason, pattern, "\\") || EF.Functions.Like(c.Channel, pattern, "\\"));
        }

        // Newest first unless asked otherwise; the id breaks ties within a batch written at once.
        var ascending = query.OrderField is not null && !query.Descending;
        switch (query.OrderField)
        {
            case null or "at": calls = ascending ? calls.OrderBy(c => c.At).ThenBy(c => c.Id) : calls.OrderByDescending(c => c.At).ThenByDescending(c => c.Id); break;
            case "id": calls = ascending ? calls.OrderBy(c => c.Id) : calls.OrderByDescending(c => c.Id); break;
            default: return query.InvalidOrder("at", "id");
        }

        var total = await calls.CountAsync(cancellationToken);
        var page = await calls.Skip(query.Offset).Take(query.Limit).ToListAsync(cancellationToken);
        return query.ToPage(page.ConvertAll(CallView.From), total);
    }
}
