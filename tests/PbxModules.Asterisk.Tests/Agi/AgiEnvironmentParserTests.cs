using System.Buffers;
using System.Text;
using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

public class AgiEnvironmentParserTests
{
    [Fact]
    public void Reads_the_whole_fastagi_full_environment()
    {
        var parsed = AgiStreamHarness.Parse([Fixtures.Received("fastagi_full")]);
        Assert.Equal(22, parsed.Environment.Count);
        var request = new AgiRequest(parsed.Environment);
        Assert.True(request.IsNetwork);
        Assert.Equal("module-black-list/check", request.Script);
        Assert.Equal("module-black-list/check", request.Path);
        Assert.Empty(request.Query);
        Assert.Empty(request.Arguments);
        Assert.Equal("Local/100@from-test-00000002;2", request.Channel);
        Assert.Equal("0912345678", request.CallerId);
        Assert.Equal("Blocked Guy", request.CallerIdName);
        Assert.Equal("unknown", request.Dnid);
        Assert.Equal("from-test", request.Context);
        Assert.Equal("100", request.Extension);
        Assert.Equal("2", request.Priority);
        Assert.Equal("en", request.Language);
        Assert.Equal("20.20.1", request.AsteriskVersion);
        Assert.Equal("1795389903.5", request.UniqueId);
        Assert.Equal(string.Empty, request.Get("agi_accountcode"));
        Assert.Equal("140652026910400", request.Get("agi_threadid"));
        Assert.Equal("agi://127.0.0.1:4573/module-black-list/check", request.Get("agi_request"));
    }

    [Fact]
    public void Reads_query_string_and_arguments_of_fastagi_args()
    {
        var parsed = AgiStreamHarness.Parse([Fixtures.Received("fastagi_args")]);
        Assert.Equal(26, parsed.Environment.Count);
        var request = new AgiRequest(parsed.Environment);
        Assert.Equal("module-black-list/check?caller=0912345678&mode=strict", request.Script);
        Assert.Equal("module-black-list/check", request.Path);
        Assert.Equal("0912345678", request.Query["caller"]);
        Assert.Equal("strict", request.Query["mode"]);
        Assert.Equal(["first arg", "second|with|pipes", "", "last"], request.Arguments);
    }

    [Fact]
    public void Reads_unknown_caller_id_as_the_literal_unknown()
    {
        var request = new AgiRequest(AgiStreamHarness.Parse([Fixtures.Received("fastagi_idle_hangup")]).Environment);
        Assert.Equal("unknown", request.CallerId);
        Assert.Equal("unknown", request.CallerIdName);
        Assert.Equal("67", request.Get("agi_callingpres"));
    }

    [Fact]
    public void A_process_agi_takes_its_route_from_the_first_argument()
    {
        var request = new AgiRequest(
        [
            new("agi_request", "pbx-agi"),
            new("agi_channel", "PJSIP/100-00000001"),
            new("agi_arg_1", "module-black-list/check?mode=strict"),
            new("agi_arg_2", "x"),
        ]);
        Assert.False(request.IsNetwork);
        Assert.Equal("module-black-list/check", request.Path);
        Assert.Equal("strict", request.Query["mode"]);
        Assert.Equal(["x"], request.Arguments);
    }

    [Fact]
    public void A_repeated_variable_keeps_the_last_value()
    {
        var request = new AgiRequest([new("agi_callerid", "1"), new("AGI_CALLERID", "2")]);
        Assert.Equal("2", request.CallerId);
    }

    [Fact]
    public void Known_names_and_common_values_are_not_allocated_per_session()
    {
        var a = AgiStreamHarness.Parse([Fixtures.Received("fastagi_full")]).Environment;
        var b = AgiStreamHarness.Parse([Fixtures.Received("fastagi_full")]).Environment;
        for (var i = 0; i < a.Count; i++) Assert.Same(a[i].Key, b[i].Key);
        Assert.Same(a[0].Value, b[0].Value); // "yes"
    }

    [Theory]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("agi_network yes")]
    [InlineData(": yes")]
    [InlineData("agi_: x")]
    [InlineData("agi network: yes")]
    [InlineData("200 result=1")]
    public void Refuses_lines_that_are_not_agi_variables(string line)
    {
        var parser = new AgiEnvironmentParser(256);
        Assert.Throws<AgiProtocolException>(() => parser.ParseLine(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void Refuses_too_many_variables()
    {
        var parser = new AgiEnvironmentParser(32);
        Assert.Throws<AgiProtocolException>(() =>
        {
            for (var i = 0; i < 33; i++) parser.ParseLine(Encoding.UTF8.GetBytes($"agi_arg_{i + 1}: x"));
        });
    }

    [Fact]
    public void Refuses_an_oversized_line_before_its_end_arrives()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("agi_callerid: " + new string('1', 5000)));
        Assert.Throws<AgiProtocolException>(() => AgiLineReader.TryReadLine(ref buffer, 4096, out _));
    }

    [Fact]
    public void Accepts_a_line_of_exactly_the_limit()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('x', 4096) + "\n"));
        Assert.True(AgiLineReader.TryReadLine(ref buffer, 4096, out var line));
        Assert.Equal(4096, line.Length);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Tolerates_crlf_line_ends()
    {
        var parsed = AgiStreamHarness.Parse([Encoding.ASCII.GetBytes("agi_network: yes\r\nagi_callerid: 123\r\n\r\n200 result=1 (x)\r\n")]);
        Assert.Equal("123", parsed.Environment[1].Value);
        Assert.Equal("x", parsed.Replies.Single().Data);
    }
}
