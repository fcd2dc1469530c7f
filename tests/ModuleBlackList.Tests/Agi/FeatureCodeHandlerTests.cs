using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>*30 / *31 / *32 through the simulated AGI call: what each does to the list, and how it confirms.</summary>
public sealed class FeatureCodeHandlerTests
{
    [Fact]
    public async Task A_missing_confirmation_sound_is_one_warning_and_the_feature_codes_still_succeed()
    {
        await using var m = await BlackListHost.StartAsync();
        var agi = new AgiCalls(m);
        var noSounds = new HashSet<string>();

        var add = await agi.CallAsync("add", new SimulatedAgiCallOptions { CallerId = "101", Arguments = ["+16465550111"], Sounds = noSounds });
        var again = await agi.CallAsync("add", new SimulatedAgiCallOptions { CallerId = "101", Arguments = ["+16465550112"], Sounds = noSounds });
        var remove = await agi.CallAsync("remove", new SimulatedAgiCallOptions { CallerId = "101", Arguments = ["+16465550112"], Sounds = noSounds });
        var last = await agi.CallAsync("block-last", new SimulatedAgiCallOptions { CallerId = "102", Sounds = noSounds });

        Assert.All([add, again, remove, last], o => Assert.Null(o.Escaped));
        Assert.Contains("STREAM FILE auth-thankyou \"\"", add.Lines);
        Assert.Contains("STREAM FILE an-error-has-occurred \"\"", last.Lines);
        Assert.True(m.BlackList.Check("+16465550111", null).Blocked);
        Assert.False(m.BlackList.Check("+16465550112", null).Blocked);
        // One warning per missing sound, none an error.
        var warnings = m.Logs.AtLeast(LogLevel.Warning);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Equal(["an-error-has-occurred", "auth-thankyou"], warnings.Select(w => w.Message.Split('\'')[1]).Order());
    }

    [Fact]
    public async Task Star_30_without_a_number_asks_for_it_after_a_beep_and_blocks_what_was_dialled()
    {
        await using var m = await BlackListHost.StartAsync();
        var agi = new AgiCalls(m);

        var add = await agi.CallAsync("add", new SimulatedAgiCallOptions { CallerId = "101", Dtmf = "16465550111#" });

        Assert.Null(add.Escaped);
        Assert.Contains(add.Lines, l => l.StartsWith("GET DATA beep", StringComparison.Ordinal));
        Assert.Contains("STREAM FILE auth-thankyou \"\"", add.Lines);
        var rule = Assert.Single(await m.StoredRulesAsync());
        Assert.Equal(("feature-code", "Added with *30 by 101"), (rule.Source, rule.Description));
        Assert.True(m.BlackList.Check("+16465550111", null).Blocked);
    }

    [Fact]
    public async Task Star_30_with_something_that_is_no_number_stores_nothing_and_plays_the_error()
    {
        await using var m = await BlackListHost.StartAsync();
        var agi = new AgiCalls(m);

        var add = await agi.CallAsync("add", new SimulatedAgiCallOptions { CallerId = "101", Arguments = ["12*34"] });

        Assert.Null(add.Escaped);
        Assert.Contains("STREAM FILE an-error-has-occurred \"\"", add.Lines);
        Assert.Empty(await m.StoredRulesAsync());
    }

    [Fact]
    public async Task Star_31_removes_the_exact_block_rule_and_leaves_a_prefix_that_still_blocks()
    {
        await using var m = await BlackListHost.StartAsync();
        await m.BlackList.AddAsync(new RuleInput { Number = "+16465550111" }, "rest", CancellationToken.None);
        await m.BlackList.AddAsync(new RuleInput { Number = "+1646555*" }, "rest", CancellationToken.None);
        var agi = new AgiCalls(m);

        var remove = await agi.CallAsync("remove", new SimulatedAgiCallOptions { CallerId = "101", Arguments = ["+1 (646) 555-0111"] });
        var missing = await agi.CallAsync("remove", new SimulatedAgiCallOptions { CallerId = "101", Arguments = ["+16465550199"] });

        Assert.Contains("STREAM FILE auth-thankyou \"\"", remove.Lines);
        Assert.Contains("STREAM FILE an-error-has-occurred \"\"", missing.Lines);
        Assert.Equal(["+1646555*"], (await m.StoredRulesAsync()).Select(r => r.Number));
        Assert.Equal("+1646555*", m.BlackList.Check("+16465550111", null).Reason);
    }

    [Fact]
    public async Task Star_32_blocks_the_last_caller_of_the_extension_and_names_it_in_a_variable()
    {
        await using var m = await BlackListHost.StartAsync();
        m.LastCallers.Record("102", "+16465550123", m.Time.GetUtcNow().UtcDateTime);
        var agi = new AgiCalls(m);

        var last = await agi.CallAsync("block-last", new SimulatedAgiCallOptions { CallerId = "102" });
        var nobody = await agi.CallAsync("block-last", new SimulatedAgiCallOptions { CallerId = "103" });

        Assert.Equal("+16465550123", last.Call.Variables["BLACKLIST_LAST_CALLER"]);
        Assert.Contains("STREAM FILE auth-thankyou \"\"", last.Lines);
        Assert.True(m.BlackList.Check("+16465550123", null).Blocked);
        Assert.Equal("", nobody.Call.Variables["BLACKLIST_LAST_CALLER"]);
        Assert.Contains("STREAM FILE an-error-has-occurred \"\"", nobody.Lines);
        Assert.Single(await m.StoredRulesAsync());
    }
}
