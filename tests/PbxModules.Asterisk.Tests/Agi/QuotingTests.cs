using CsCheck;
using PbxModules.Sdk.Agi;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>What we send is split by Asterisk's parse_args into exactly the arguments we meant, and nothing can start a second command.</summary>
public class QuotingTests
{
    private static readonly Gen<string> SafeText =
        Gen.String[Gen.OneOf(Gen.Char.Where(c => c is not ('\n' or '\r' or '\0')), Gen.OneOf(' ', '\t', '"', '\\', '\'', '$', '{', '}', '(', ')')), 0, 30];

    [Fact]
    public void Any_value_reaches_asterisk_as_exactly_one_argument()
    {
        Gen.Select(SafeText, SafeText).Sample((name, value) =>
        {
            var line = AgiCommandLine.Build("SET VARIABLE", name, value);
            Assert.DoesNotContain('\n', line);
            Assert.Equal(["SET", "VARIABLE", name, value], AgiArgumentParser.Parse(line));
        }, iter: 2000);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("hello world", "\"hello world\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\path", "\"C:\\\\path\"")]
    [InlineData("${CALLERID(num)}", "${CALLERID(num)}")]
    [InlineData("tab\there", "\"tab\there\"")]
    public void Quotes_only_what_needs_quoting(string value, string expected)
        => Assert.Equal(expected, AgiCommandLine.Quote(value));

    [Theory]
    [InlineData("x\nHANGUP")]
    [InlineData("x\r\nEXEC System rm")]
    [InlineData("x\ry")]
    [InlineData("x\0y")]
    [InlineData("\n")]
    public void Refuses_line_breaks_and_nul(string value)
    {
        Assert.Throws<ArgumentException>(() => AgiCommandLine.Quote(value));
        Assert.Throws<ArgumentException>(() => AgiCommandLine.Build("SET VARIABLE", "X", value));
        Assert.Throws<ArgumentException>(() => AgiCommandLine.Build("VERBOSE " + value));
    }

    [Fact]
    public void Any_string_with_a_line_break_is_refused()
    {
        Gen.Select(SafeText, Gen.OneOf('\n', '\r', '\0'), SafeText).Sample((a, bad, b) =>
        {
            Assert.Throws<ArgumentException>(() => { AgiCommandLine.Quote(a + bad + b); });
        }, iter: 500);
    }

    [Theory]
    [InlineData("STREAM FILE beep \"\"", new[] { "STREAM", "FILE", "beep", "" })]
    [InlineData("SET VARIABLE QUOTED \"hello world\"", new[] { "SET", "VARIABLE", "QUOTED", "hello world" })]
    [InlineData("exec noop lowercase", new[] { "exec", "noop", "lowercase" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    [InlineData("ab\"c d\"e", new[] { "abc de" })]
    [InlineData("  a   b  ", new[] { "a", "b" })]
    [InlineData("a \"\" \"\"", new[] { "a", "", "" })]
    [InlineData("\\\\\\\"", new[] { "\\\"" })]
    public void The_test_kit_splits_like_parse_args(string line, string[] words)
        => Assert.Equal(words, AgiArgumentParser.Parse(line));
}
