using Microsoft.Extensions.Logging;
using PbxModules.Sdk.Testing.Agi;

namespace ModuleBlackList.Tests.Agi;

/// <summary>*30 / *31 / *32 on an Asterisk without their confirmation sounds: the work is done, nothing fails.</summary>
public sealed class FeatureCodeHandlerTests
{
    [Fact]
    public async Task A_missing_confirmation_sound_is_one_warning_and_the_feature_codes_still_succeed()
    {
        await using var m = await ModuleHarness.StartAsync();
        await using var agi = await AgiCalls.StartAsync(m);
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
}
