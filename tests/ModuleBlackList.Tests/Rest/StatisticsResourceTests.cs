using ModuleBlackList.Rest;
using static ModuleBlackList.Tests.Rest.RestResources;

namespace ModuleBlackList.Tests.Rest;

/// <summary><see cref="StatisticsResource"/> on its own: per-day counts with empty days, top numbers and rules, the default range and its limits.</summary>
public sealed class StatisticsResourceTests
{
    [Fact]
    public async Task Counts_per_day_and_the_top_numbers_and_rules()
    {
        await using var rest = await StartAsync();
        var db = rest.Db();
        db.Calls.AddRange(
            Call("a", Noon.AddDays(-2), "+18005550100", "18005550100", 1, "+18005550100"),
            Call("b", Noon, "+18005550100", "18005550100", 1, "+18005550100"),
            Call("c", Noon.AddMinutes(5), "+18005550199", "18005550199", 2, "+1800555019*"),
            Call("d", Noon.AddDays(-40), "+18005550100", "18005550100", 1, "+18005550100"));
        await db.SaveChangesAsync();

        var view = Data<StatisticsView>(await rest.Statistics().Get("2026-11-22", "2026-11-25", top: 1, None));

        Assert.Equal(3, view.Total);
        Assert.Equal([new DayCount("2026-11-22", 1), new DayCount("2026-11-23", 0), new DayCount("2026-11-24", 2)], view.PerDay);
        var number = Assert.Single(view.TopNumbers);
        Assert.Equal(("18005550100", 2, Noon), (number.Number, number.Blocks, number.LastAt));
        Assert.Equal(new RuleCount(1, "+18005550100", 2), Assert.Single(view.TopRules));
    }

    [Fact]
    public async Task The_default_range_is_the_last_30_days_including_today()
    {
        await using var rest = await StartAsync();
        var view = Data<StatisticsView>(await rest.Statistics().Get(null, null, null, None));
        Assert.Equal(new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc), view.To);
        Assert.Equal(view.To.AddDays(-30), view.From);
        Assert.Equal(30, view.PerDay.Count);
        Assert.Equal(0, view.Total);
    }

    [Fact]
    public async Task Bad_arguments_are_a_422_naming_the_field()
    {
        await using var rest = await StartAsync();
        Assert.Contains("top", Failed(await rest.Statistics().Get(null, null, 0, None), 422).Fields!.Keys);
        Assert.Contains("to", Failed(await rest.Statistics().Get("2026-11-24", "2026-11-24", null, None), 422).Fields!.Keys);
        Assert.Contains("from", Failed(await rest.Statistics().Get("2024-01-01", "2026-11-24", null, None), 422).Fields!.Keys);
    }
}
