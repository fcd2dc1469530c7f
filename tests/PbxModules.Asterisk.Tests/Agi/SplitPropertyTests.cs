using System.Globalization;
using System.Text;
using CsCheck;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>TCP may cut Asterisk's bytes anywhere: whatever the cuts, the parse is the same.</summary>
public class SplitPropertyTests
{
    private static readonly Gen<int[]> Cuts = Gen.Int[0, 4096].Array[0, 40];

    [Fact]
    public void Any_split_of_every_fixture_parses_like_the_whole()
    {
        foreach (var fixture in Fixtures.FastAgi)
        {
            var bytes = Fixtures.Received(fixture);
            var whole = AgiStreamHarness.Parse([bytes]);
            Gen.Int[0, bytes.Length].Array[0, 60].Sample(cuts =>
            {
                var split = AgiStreamHarness.Parse(AgiStreamHarness.Split(bytes, cuts));
                Assert.Equal(whole.Environment, split.Environment);
                Assert.Equal(whole.Events, split.Events);
            }, iter: 300);
        }
    }

    [Fact]
    public void Every_single_byte_boundary_of_fastagi_full_parses_like_the_whole()
    {
        var bytes = Fixtures.Received("fastagi_full");
        var whole = AgiStreamHarness.Parse([bytes]);
        var byteByByte = AgiStreamHarness.Parse(bytes.Select(b => new[] { b }));
        Assert.Equal(whole.Events, byteByByte.Events);
        Assert.Equal(whole.Environment, byteByByte.Environment);
    }

    // A generated session: an environment, then replies and HANGUPs, rendered as Asterisk would send them.
    private static readonly Gen<string> Value = Gen.String[Gen.Char.Where(c => c is not ('\n' or '\r' or '\0') && !char.IsSurrogate(c)), 0, 40];
    private static readonly Gen<string> Token = Gen.String[Gen.Char['a', 'z'], 1, 12];

    private static readonly Gen<(string Line, string Expected)> ReplyGen = Gen.OneOf(
        Gen.Select(Gen.Long[-3, 1000], Value, (r, d) => (
            $"200 result={r.ToString(CultureInfo.InvariantCulture)} ({d})",
            $"200|{r.ToString(CultureInfo.InvariantCulture)}|~|{d}|~|~")),
        Gen.Select(Gen.Long[-3, 1000], Gen.Long[0, 100000], (r, e) => (
            $"200 result={r.ToString(CultureInfo.InvariantCulture)} endpos={e.ToString(CultureInfo.InvariantCulture)}",
            $"200|{r.ToString(CultureInfo.InvariantCulture)}|~|~|endpos={e.ToString(CultureInfo.InvariantCulture)}|~")),
        Gen.Const(("510 Invalid or unknown command", "510|0|~|~|~|Invalid or unknown command")),
        Gen.Const(("511 Command Not Permitted on a dead channel or intercept routine", "511|0|~|~|~|Command Not Permitted on a dead channel or intercept routine")),
        Gen.Const(("HANGUP", "HANGUP")),
        Value.Array[0, 4].Select(lines =>
        {
            var text = string.Join('\n', ["Invalid command syntax.  Proper usage follows:", .. lines.Select(l => "x" + l), "End of proper usage."]);
            var wire = "520-Invalid command syntax.  Proper usage follows:\n" + string.Concat(lines.Select(l => "x" + l + "\n")) + "520 End of proper usage.";
            return (wire, "520|0|~|~|~|" + text);
        }));

    [Fact]
    public void Any_split_of_any_valid_session_parses_to_what_was_sent()
    {
        var session = Gen.Select(Gen.Select(Token, Value).Array[0, 30], ReplyGen.Array[0, 30], Cuts);
        session.Sample((env, replies, cuts) =>
        {
            var wire = new StringBuilder();
            foreach (var (name, value) in env) wire.Append("agi_").Append(name).Append(": ").Append(value).Append('\n');
            wire.Append('\n');
            foreach (var (line, _) in replies) wire.Append(line).Append('\n');
            var bytes = Encoding.UTF8.GetBytes(wire.ToString());

            var parsed = AgiStreamHarness.Parse(AgiStreamHarness.Split(bytes, cuts.Select(c => c % (bytes.Length + 1))));

            Assert.Equal(env.Select(e => new KeyValuePair<string, string>("agi_" + e.Item1, e.Item2)), parsed.Environment);
            Assert.Equal(replies.Select(r => r.Expected), parsed.Events);
        }, iter: 500);
    }

    [Fact]
    public void Reply_rendering_round_trips_for_any_data()
    {
        Gen.Select(Gen.Long, Value).Sample((result, data) =>
        {
            var line = AgiReplyToLine(result, data);
            var parsed = AgiStreamHarness.Parse([Encoding.UTF8.GetBytes("\n" + line + "\n")]).Replies.Single();
            Assert.Equal(result, parsed.Result);
            Assert.Equal(data, parsed.Data);
            Assert.Equal(line, parsed.ToString());
        }, iter: 500);
    }

    private static string AgiReplyToLine(long result, string data)
        => new AgiReply(200, result, data, null, null).ToString();
}
