using Microsoft.EntityFrameworkCore;
using ModuleBlackList.Data;
using PbxModules.Sdk.Rest;

namespace ModuleBlackList.Rest;

/// <summary>Blocks on one day (UTC).</summary>
/// <param name="Date">The day, <c>yyyy-MM-dd</c>.</param>
/// <param name="Blocks">Calls blocked that day.</param>
public sealed record DayCount(string Date, int Blocks);

/// <summary>A number among those blocked most.</summary>
/// <param name="Number">The caller's canonical number (empty for anonymous callers).</param>
/// <param name="Blocks">Calls blocked in the range.</param>
/// <param name="LastAt">The latest of them (UTC).</param>
public sealed record NumberCount(string Number, int Blocks, DateTime LastAt);

/// <summary>A rule among those that blocked most.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Reason">Its pattern at the time.</param>
/// <param name="Blocks">Calls it blocked in the range.</param>
public sealed record RuleCount(int RuleId, string Reason, int Blocks);

/// <summary>What <c>statistics</c> answers.</summary>
/// <param name="From">Start of the range (UTC, inclusive).</param>
/// <param name="To">End of the range (UTC, exclusive).</param>
/// <param name="Total">Calls blocked in the range.</param>
/// <param name="PerDay">Every day of the range, including days without blocks.</param>
/// <param name="TopNumbers">The numbers blocked most, most first.</param>
/// <param name="TopRules">The rules that blocked most, most first.</param>
public sealed record StatisticsView(DateTime From, DateTime To, int Total, IReadOnlyList<DayCount> PerDay, IReadOnlyList<NumberCount> TopNumbers, IReadOnlyList<RuleCount> TopRules);

/// <summary><c>GET /pbxcore/api/v3/module-black-list/statistics</c>: blocks per day over a range, and the top numbers and rules.</summary>
[ApiResource("statistics", Description = "Blocked-call statistics.")]
[ResourceSecurity("BlackList:Read")]
public sealed class StatisticsResource(BlackListDbContext db, TimeProvider time)
{
    private const int MaxDays = 366;

    /// <summary>Statistics over <c>[from, to)</c>; by default the last 30 days (UTC days, today included).</summary>
    /// <param name="from">Start (ISO 8601, UTC unless it says otherwise); default 30 days before <paramref name="to"/>.</param>
    /// <param name="to">End, exclusive; default the end of today.</param>
    /// <param name="top">How many top numbers and rules (1–100, default 10).</param>
    /// <param name="cancellationToken">The request's.</param>
    [HttpMapping("GET", Summary = "Blocks per day over a range (from, to; default the last 30 days) and the top numbers and rules (top=10).")]
    public async Task<PbxApiResult> Get(string? from, string? to, int? top, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var today = time.GetUtcNow().UtcDateTime.Date;
        var until = RestQuery.Time(to, "to", errors) ?? today.AddDays(1);
        var since = RestQuery.Time(from, "from", errors) ?? until.AddDays(-30);
        var count = top ?? 10;
        if (count is < 1 or > 100) errors["top"] = [$"must be between 1 and 100; got {count}."];
        if (errors.Count == 0 && until <= since) errors["to"] = ["must be after from."];
        if (errors.Count == 0 && (until - since).TotalDays > MaxDays) errors["from"] = [$"the range may span at most {MaxDays} days."];
        if (errors.Count > 0) return PbxApiResult.ValidationFailed(errors);

        var calls = db.Calls.AsNoTracking().Where(c => c.At >= since && c.At < until);
        var perDay = await calls.GroupBy(c => c.At.Date).Select(g => new { Day = g.Key, Blocks = g.Count() }).ToListAsync(cancellationToken);
        var byDay = perDay.ToDictionary(d => d.Day.Date, d => d.Blocks);
        var days = new List<DayCount>();
        for (var day = since.Date; day < until; day = day.AddDays(1))
            days.Add(new DayCount(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), byDay.GetValueOrDefault(day)));

        var topNumbers = await calls.GroupBy(c => c.Normalized)
            .Select(g => new { Number = g.Key, Blocks = g.Count(), LastAt = g.Max(c => c.At) })
            .OrderByDescending(g => g.Blocks).ThenBy(g => g.Number)
            .Take(count).ToListAsync(cancellationToken);
        var topRules = await calls.Where(c => c.RuleId != null).GroupBy(c => c.RuleId!.Value)
            .Select(g => new { RuleId = g.Key, Reason = g.Max(c => c.Reason), Blocks = g.Count() })
            .OrderByDescending(g => g.Blocks).ThenBy(g => g.RuleId)
            .Take(count).ToListAsync(cancellationToken);

        return PbxApiResult.Ok(new StatisticsView(
            RuleView.Utc(since), RuleView.Utc(until), perDay.Sum(d => d.Blocks), days,
            [.. topNumbers.Select(n => new NumberCount(n.Number, n.Blocks, RuleView.Utc(n.LastAt)))],
            [.. topRules.Select(r => new RuleCount(r.RuleId, r.Reason ?? "", r.Blocks))]));
    }
}
