using System.Text;
using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

public class AgiReplyParserTests
{
    private static AgiReply ParseOne(string line)
    {
        var parser = new AgiReplyParser(64 * 1024);
        Assert.Equal(AgiLineKind.Reply, parser.ParseLine(Encoding.UTF8.GetBytes(line), out var reply));
        return reply;
    }

    [Theory]
    [InlineData("200 result=1 (0912345678)", 200, 1, "0912345678", null)]
    [InlineData("200 result=1 (Blocked Guy)", 200, 1, "Blocked Guy", null)]
    [InlineData("200 result=0", 200, 0, null, null)]
    [InlineData("200 result=-2", 200, -2, null, null)]
    [InlineData("200 result=1 ()", 200, 1, "", null)]
    [InlineData("200 result=0 endpos=8000", 200, 0, null, "endpos=8000")]
    [InlineData("200 result=49 endpos=4000", 200, 49, null, "endpos=4000")]
    [InlineData("200 result=0 (timeout) endpos=16000", 200, 0, "timeout", "endpos=16000")]
    [InlineData("200 result=1 (The time is (really) 1578493800)", 200, 1, "The time is (really) 1578493800", null)]
    [InlineData("200 result=0 Gosub complete", 200, 0, null, "Gosub complete")]
    public void Parses_success_replies(string line, int code, long result, string? data, string? extra)
    {
        var reply = ParseOne(line);
        Assert.Equal(code, reply.StatusCode);
        Assert.Equal(result, reply.Result);
        Assert.Equal(data, reply.Data);
        Assert.Equal(extra, reply.Extra);
        Assert.Null(reply.Text);
        Assert.True(reply.IsSuccess);
        Assert.Equal(line, reply.ToString());
    }

    [Theory]
    [InlineData("200 result=0123", "0123")]
    [InlineData("200 result=*12#", "*12#")]
    [InlineData("200 result= (timeout)", "")]
    public void Keeps_get_data_digits_as_sent(string line, string token)
    {
        var reply = ParseOne(line);
        Assert.Equal(token, reply.ResultText);
        Assert.Equal(token, reply.ResultToken);
    }

    [Fact]
    public void Canonical_results_cost_no_result_string()
    {
        Assert.Null(ParseOne("200 result=-1").ResultText);
        Assert.Equal("-1", ParseOne("200 result=-1").ResultToken);
    }

    [Theory]
    [InlineData("510 Invalid or unknown command", 510, "Invalid or unknown command")]
    [InlineData("511 Command Not Permitted on a dead channel or intercept routine", 511, "Command Not Permitted on a dead channel or intercept routine")]
    [InlineData("520 Invalid command syntax.  Proper usage not available.", 520, "Invalid command syntax.  Proper usage not available.")]
    public void Parses_error_replies(string line, int code, string text)
    {
        var reply = ParseOne(line);
        Assert.Equal(code, reply.StatusCode);
        Assert.Equal(text, reply.Text);
        Assert.False(reply.IsSuccess);
    }

    [Fact]
    public void Parses_a_multi_line_usage_reply()
    {
        var parser = new AgiReplyParser(64 * 1024);
        string[] lines =
        [
            "520-Invalid command syntax.  Proper usage follows:",
            "Returns <literal>0</literal> if <replaceable>variablename</replaceable> is not set.",
            "Example return code: 200 result=1 (testvariable)",
            "HANGUP",
            "520 End of proper usage.",
        ];
        for (var i = 0; i < lines.Length - 1; i++)
            Assert.Equal(AgiLineKind.Partial, parser.ParseLine(Encoding.UTF8.GetBytes(lines[i]), out _));
        Assert.Equal(AgiLineKind.Reply, parser.ParseLine(Encoding.UTF8.GetBytes(lines[^1]), out var reply));
        Assert.Equal(520, reply.StatusCode);
        // The usage text is carried verbatim: a line inside it is never taken for a reply or a HANGUP.
        Assert.Equal(
            "Invalid command syntax.  Proper usage follows:\nReturns <literal>0</literal> if <replaceable>variablename</replaceable> is not set.\nExample return code: 200 result=1 (testvariable)\nHANGUP\nEnd of proper usage.",
            reply.Text);
        Assert.False(parser.InMultiLineReply);
    }

    [Fact]
    public void Recognises_the_unsolicited_hangup()
    {
        var parser = new AgiReplyParser(1024);
        Assert.Equal(AgiLineKind.Hangup, parser.ParseLine("HANGUP"u8, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("HANGUP now")]
    [InlineData("20")]
    [InlineData("2000 result=1")]
    [InlineData("abc result=1")]
    [InlineData("200_result=1")]
    [InlineData("agi_network: yes")]
    public void Refuses_lines_that_are_not_agi(string line)
    {
        var parser = new AgiReplyParser(1024);
        Assert.Throws<AgiProtocolException>(() => parser.ParseLine(Encoding.UTF8.GetBytes(line), out _));
    }

    [Fact]
    public void Refuses_an_endless_multi_line_reply()
    {
        var parser = new AgiReplyParser(1024);
        parser.ParseLine("520-Invalid command syntax.  Proper usage follows:"u8, out _);
        var line = Encoding.ASCII.GetBytes(new string('x', 100));
        Assert.Throws<AgiProtocolException>(() =>
        {
            for (var i = 0; i < 20; i++) parser.ParseLine(line, out _);
        });
    }

    [Fact]
    public void Replies_without_data_and_the_hangup_line_allocate_nothing()
    {
        var parser = new AgiReplyParser(1024);
        byte[][] lines = ["200 result=0"u8.ToArray(), "200 result=-2"u8.ToArray(), "200 result=6"u8.ToArray(), "HANGUP"u8.ToArray()];
        foreach (var line in lines) parser.ParseLine(line, out _); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            foreach (var line in lines) parser.ParseLine(line, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
