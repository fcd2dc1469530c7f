using ModuleBlackList.Settings;
using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>
/// Flood protection in the call's own path: the check counts the call (by the linkedid the dialplan
/// passes), so the call that crosses the limit is blocked whether or not its AMI events came first.
/// </summary>
public sealed class FloodCheckTests
{
    private const string Flooder = "+1 (702) 555-0101";

    private static BlackListSettings Flood() => new() { FloodProtection = true, FloodMaxCalls = 3, FloodWindowSeconds = 60, FloodBlockMinutes = 5 };

    private static SimulatedAgiCallOptions Call(string linkedId) => new() { CallerId = Flooder, Arguments = ["+12125550000", linkedId] };

    [Fact]
    public async Task The_call_that_crosses_the_limit_is_blocked_by_its_own_check_when_AMI_has_seen_nothing()
    {
        await using var m = await BlackListHost.StartAsync(Flood());
        var agi = new AgiCalls(m);

        var results = new List<string>();
        for (var i = 0; i < 5; i++) results.Add((await agi.CallAsync("check", Call($"1796155420.{i}"))).Call.Variables["BLACKLISTED"]);

        // The 4th of 5 over a limit of 3 rang before.
        Assert.Equal(["0", "0", "0", "1", "1"], results);
        var rule = Assert.Single(await m.StoredRulesAsync());
        Assert.Equal("flood", rule.Source);
        Assert.Equal("Flood: 4 calls within 60 s", rule.Description);
    }

    [Fact]
    public async Task When_the_AMI_event_counted_the_crossing_call_first_its_check_blocks_it_and_it_is_not_counted_twice()
    {
        await using var m = await BlackListHost.StartAsync(Flood());
        var agi = new AgiCalls(m);
        for (var i = 0; i < 3; i++) Assert.Equal("0", (await agi.CallAsync("check", Call($"1796155420.{i}"))).Call.Variables["BLACKLISTED"]);

        // The 4th call's first channel gets its number in NewCallerid (an originate), seen before its check runs.
        await m.Host.RaiseAmiEventAsync("NewCallerid", ("Channel", "Local/100@from-trunk-00000018;1"), ("CallerIDNum", Flooder), ("Uniqueid", "1796155420.3"), ("Linkedid", "1796155420.3"));
        var crossing = await agi.CallAsync("check", Call("1796155420.3"));

        Assert.Equal("1", crossing.Call.Variables["BLACKLISTED"]);
        var rule = Assert.Single(await m.StoredRulesAsync());
        Assert.Equal(rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), crossing.Call.Variables["BLACKLIST_RULE"]);
        Assert.Equal("Flood: 4 calls within 60 s", rule.Description);
    }

    [Fact]
    public async Task An_allow_listed_caller_is_never_flood_blocked()
    {
        await using var m = await BlackListHost.StartAsync(Flood());
        await m.BlackList.AddAsync(new RuleInput { Number = Flooder, Kind = Models.RuleKind.Allow }, "rest", CancellationToken.None);
        var agi = new AgiCalls(m);

        for (var i = 0; i < 6; i++) Assert.Equal("0", (await agi.CallAsync("check", Call($"1796155421.{i}"))).Call.Variables["BLACKLISTED"]);
    }
}
