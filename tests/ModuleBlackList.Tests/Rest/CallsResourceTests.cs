using ModuleBlackList.Rest;
using PbxModules.Sdk.Rest;
using static ModuleBlackList.Tests.Rest.RestResources;

namespace ModuleBlackList.Tests.Rest;

/// <summary><see cref="CallsResource"/> on its own, over calls stored in the log table: order, filters and their validation.</summary>
public sealed class CallsResourceTests
{
    [Fact]
    public async Task The_log_is_newest_first()
    {
        await using var rest = await WithCallsAsync();
        var calls = Data<IReadOnlyList<CallView>>(await rest.Calls().GetList(new ApiListQuery(), null, null, null, null, null, None));
        Assert.Equal(["c3", "c2", "c1"], calls.Select(c => c.UniqueId));
        Assert.All(calls, c => Assert.Equal(DateTimeKind.Utc, c.At.Kind));
    }

    [Fact]
    public async Task Filters_narrow_the_log()
    {
        await using var rest = await WithCallsAsync();
        async Task<IEnumerable<string>> Ids(string? from = null, string? to = null, string? number = null, int? rule = null, string? did = null, string? search = null)
            => Data<IReadOnlyList<CallView>>(await rest.Calls().GetList(new ApiListQuery { Search = search }, from, to, number, rule, did, None)).Select(c => c.UniqueId);

        Assert.Equal(["c2", "c1"], await Ids(number: "+1 (800) 555-0100"));
        Assert.Equal(["c2"], await Ids(from: "2026-11-24T11:30:00Z", number: "18005550100"));
        Assert.Equal(["c1"], await Ids(to: "2026-11-24T11:30:00Z"));
        Assert.Equal(["c3"], await Ids(rule: 2));
        Assert.Equal(["c3"], await Ids(did: "5551234"));
        Assert.Equal(["c3"], await Ids(search: "anonymous"));
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_or_a_bad_time_is_a_422()
    {
        await using var rest = await WithCallsAsync();
        Assert.Equal(["must be after from."], Failed(await rest.Calls().GetList(new ApiListQuery(), "2026-11-24", "2026-11-23", null, null, null, None), 422).Fields!["to"]);
        Assert.Contains("from", Failed(await rest.Calls().GetList(new ApiListQuery(), "yesterday", null, null, null, null, None), 422).Fields!.Keys);
        Failed(await rest.Calls().GetList(new ApiListQuery { OrderField = "number" }, null, null, null, null, null, None), 422);
    }

    private static async Task<RestResources> WithCallsAsync()
    {
        var rest = await StartAsync();
        var db = rest.Db();
        db.Calls.AddRange(
            Call("c1", Noon.AddHours(-1), "+18005550100", "18005550100", 1, "+18005550100"),
            Call("c2", Noon.AddMinutes(-10), "18005550100", "18005550100", 1, "+18005550100"),
            Call("c3", Noon.AddMinutes(-5), "anonymous", "", 2, "anonymous", did: "5551234"));
        await db.SaveChangesAsync();
        return rest;
    }
}
