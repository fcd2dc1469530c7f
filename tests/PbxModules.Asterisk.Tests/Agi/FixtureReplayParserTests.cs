using PbxModules.Asterisk.Tests.Agi.Support;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>Every byte Asterisk sent in the FastAGI fixtures, through the parsers.</summary>
public class FixtureReplayParserTests
{
    public static TheoryData<string> FastAgiFixtures() => [.. Fixtures.FastAgi];

    [Theory]
    [MemberData(nameof(FastAgiFixtures))]
    public void Every_single_line_reply_renders_back_to_the_line_asterisk_sent(string fixture)
    {
        var bytes = Fixtures.Received(fixture);
        var parsed = AgiStreamHarness.Parse([bytes]);
        var (_, segments) = Fixtures.Segments(bytes);
        Assert.Equal(segments.Count, parsed.Replies.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var first = segments[i].Split('\n')[0];
            if (first[3] == ' ') Assert.Equal(first, parsed.Replies[i].ToString());
            else Assert.Equal(int.Parse(first[..3]), parsed.Replies[i].StatusCode);
        }
    }

    [Fact]
    public void Fastagi_full_parses_to_the_replies_asterisk_meant()
    {
        var parsed = AgiStreamHarness.Parse([Fixtures.Received("fastagi_full")]);
        const string usageGetFull = "520|0|~|~|~|Invalid command syntax.  Proper usage follows:\n"
            + "Evaluates the given <replaceable>expression</replaceable> against the channel specified by <replaceable>channelname</replaceable>, or the current channel if <replaceable>channelname</replaceable> is not provided.\n"
            + "Unlike GET VARIABLE, the <replaceable>expression</replaceable> is processed in a manner similar to dialplan evaluation, allowing complex and built-in variables to be accessed, e.g. <literal>The time is ${EPOCH}</literal>\n"
            + "Returns <literal>0</literal> if no channel matching <replaceable>channelname</replaceable> exists, <literal>1</literal> otherwise.\n"
            + "Example return code: 200 result=1 (The time is 1578493800)\n"
            + "End of proper usage.";
        string[] expected =
        [
            "200|1|~|0912345678|~|~", "200|1|~|Blocked Guy|~|~", "200|1|~|0912345678|~|~", usageGetFull,
            "200|0|~|~|~|~", "200|0|~|~|~|~", "200|1|~|~|~|~", "200|1|~|~|~|~", "200|1|~|hello world|~|~",
            "200|1|~|~|~|~", "200|1|~|~|~|~", "200|1|~|value|~|~", "200|0|~|~|~|~", "200|1|~|~|~|~",
            "510|0|~|~|~|Invalid or unknown command",
            "520|0|~|~|~|Invalid command syntax.  Proper usage follows:\nReturns <literal>0</literal> if <replaceable>variablename</replaceable> is not set. Returns <literal>1</literal> if <replaceable>variablename</replaceable> is set and returns the variable in parentheses.\nExample return code: 200 result=1 (testvariable)\nEnd of proper usage.",
            "520|0|~|~|~|Invalid command syntax.  Proper usage follows:\nAdds or updates an entry in the Asterisk database for a given <replaceable>family</replaceable>, <replaceable>key</replaceable>, and <replaceable>value</replaceable>.\nReturns <literal>1</literal> if successful, <literal>0</literal> otherwise.\nEnd of proper usage.",
            "200|0|~|~|~|~", "200|-2|~|~|~|~", "200|0|~|~|~|~", "200|4|~|~|~|~", "200|0|~|~|~|~", "200|0|~|~|~|~",
            "200|6|~|~|~|~", "200|0|~|~|~|~", "200|1|~|~|~|~", "HANGUP",
            "511|0|~|~|~|Command Not Permitted on a dead channel or intercept routine",
            "511|0|~|~|~|Command Not Permitted on a dead channel or intercept routine",
            "200|1|~|1|~|~", "200|1|~|~|~|~",
            "511|0|~|~|~|Command Not Permitted on a dead channel or intercept routine",
            "200|1|~|~|~|~", "200|0|~|~|~|~",
            "511|0|~|~|~|Command Not Permitted on a dead channel or intercept routine",
            "510|0|~|~|~|Invalid or unknown command",
        ];
        Assert.Equal(expected, parsed.Events);
    }

    [Fact]
    public void Fastagi_idle_hangup_reports_the_hangup_before_any_reply()
    {
        var parsed = AgiStreamHarness.Parse([Fixtures.Received("fastagi_idle_hangup")]);
        Assert.Equal("HANGUP", parsed.Events[0]);
        Assert.Equal("200|1|~||~|~", parsed.Events[3]); // GET VARIABLE on a dead channel: "200 result=1 ()"
        Assert.Equal(7, parsed.Events.Count);
    }

    [Fact]
    public void Fastagi_during_ami_session_parses()
    {
        var parsed = AgiStreamHarness.Parse([Fixtures.Received("fastagi_during_ami_session")]);
        Assert.Equal(["200|1|~|5551234|~|~", "200|1|~|~|~|~"], parsed.Events);
    }
}
