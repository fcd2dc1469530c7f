using System.Text;
using CsCheck;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

public sealed class AmiFrameParserTests
{
    private static readonly byte[] s_session = AmiFixtures.Bytes("ami_session.recv.raw");

    private static readonly byte[] s_utf8Stream = Encoding.UTF8.GetBytes(
        "Asterisk Call Manager/9.0.0\r\n" +
        "Event: Newchannel\r\nChannel: PJSIP/101-00000001\r\nCallerIDName: Jürgen Ŝtraße 🎧\r\nAccountCode: \r\n\r\n" +
        "Event: UserEvent\r\nUserEvent: Привет\r\nData: 日本語テキスト\r\n\r\n" +
        "Response: Success\r\nActionID: ü-1\r\nMessage: Ça va\r\n\r\n");

    [Fact]
    public void Any_split_of_the_captured_session_parses_to_the_same_frames()
    {
        var expected = AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks([s_session], true, out _));
        Gen.Int[0, s_session.Length].Array[0, 40].Sample(cuts =>
        {
            var frames = AmiFixtures.ParseInChunks(AmiFixtures.Split(s_session, cuts), true, out var banner);
            return banner == "Asterisk Call Manager/9.0.0" && AmiFixtures.HeadersOf(frames).SequenceEqual(expected, FrameComparer.Instance);
        }, iter: 300);
    }

    [Fact]
    public void Any_split_of_multibyte_utf8_parses_to_the_same_frames()
    {
        var expected = AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks([s_utf8Stream], true, out _));
        Assert.Equal("Jürgen Ŝtraße 🎧", expected[0][2].Value);
        // Cut everywhere, including inside every multi-byte character.
        Gen.Int[0, s_utf8Stream.Length].Array[0, 30].Sample(cuts =>
            AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks(AmiFixtures.Split(s_utf8Stream, cuts), true, out _))
                .SequenceEqual(expected, FrameComparer.Instance), iter: 500);
        for (var cut = 0; cut <= s_utf8Stream.Length; cut++)
            Assert.Equal(expected, AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks(AmiFixtures.Split(s_utf8Stream, [cut]), true, out _)));
    }

    [Fact]
    public void A_value_equal_to_the_headers_previous_one_is_the_same_string_and_a_changed_one_is_read_anew()
    {
        var bytes = Encoding.UTF8.GetBytes(
            "Event: Newchannel\r\nChannel: PJSIP/101-00000001\r\nUniqueid: 17.1\r\n\r\n" +
            "Event: Newstate\r\nChannel: PJSIP/101-00000001\r\nUniqueid: 17.2\r\n\r\n" +
            "Event: Hangup\r\nChannel: PJSIP/101-00000002\r\nUniqueid: 17.2\r\n\r\n");
        var frames = AmiFixtures.ParseInChunks([bytes], false, out _);

        Assert.Same(frames[0]["Channel"], frames[1]["Channel"]);
        Assert.Equal(["17.1", "17.2", "17.2"], frames.Select(f => f["Uniqueid"]));
        Assert.Equal("PJSIP/101-00000002", frames[2]["Channel"]);
        Assert.Same(frames[1]["Uniqueid"], frames[2]["Uniqueid"]);
    }

    [Fact]
    public void Byte_at_a_time_parses_the_captured_session()
    {
        var expected = AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks([s_session], true, out _));
        var chunks = s_session.Select(b => new[] { b });
        Assert.Equal(expected, AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks(chunks, true, out _)));
    }

    [Fact]
    public void Generated_frames_round_trip_through_any_split()
    {
        var name = Gen.String[Gen.Char.AlphaNumeric, 1, 12];
        var value = Gen.String[Gen.Char.Where(c => c is not ('\r' or '\n') && !char.IsSurrogate(c)), 0, 40];
        var frame = Gen.Select(name, value).Array[1, 6];
        var stream = frame.Array[1, 8];
        Gen.Select(stream, Gen.Int[0, 4096].Array[0, 10], Gen.Bool).Sample((frames, cuts, bareLf) =>
        {
            var eol = bareLf ? "\n" : "\r\n";
            var sb = new StringBuilder("Asterisk Call Manager/9.0.0").Append(eol);
            foreach (var f in frames)
            {
                sb.Append("Event: Generated").Append(eol);
                foreach (var (n, v) in f) sb.Append(n).Append(": ").Append(v).Append(eol);
                sb.Append(eol);
            }

            var bytes = Encoding.UTF8.GetBytes(sb.ToString());
            var parsed = AmiFixtures.ParseInChunks(AmiFixtures.Split(bytes, cuts.Select(c => c % (bytes.Length + 1))), true, out _);
            return parsed.Count == frames.Length && parsed.Zip(frames).All(p =>
                p.First is AmiEvent { Name: "Generated" } && p.First.Headers.Skip(1).SequenceEqual(p.Second.Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2))));
        }, iter: 300);
    }

    [Fact]
    public void Bare_line_feeds_parse_like_crlf()
    {
        var crlf = AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks([s_session], true, out _));
        var lf = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(s_session).Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(crlf, AmiFixtures.HeadersOf(AmiFixtures.ParseInChunks([lf], true, out var banner)));
        Assert.Equal("Asterisk Call Manager/9.0.0", banner);
    }

    [Fact]
    public void Malformed_line_is_reported_and_skipped_and_the_frame_survives()
    {
        var parser = new AmiFrameParser(expectBanner: false);
        var buffer = new System.Buffers.ReadOnlySequence<byte>("Response: Success\r\nthis line has no colon\r\n: no name\r\nActionID: a-1\r\n\r\n"u8.ToArray());

        Assert.Equal(AmiParseResult.MalformedLine, parser.TryRead(ref buffer, out _, out var text));
        Assert.Equal("this line has no colon", text);
        Assert.Equal(AmiParseResult.MalformedLine, parser.TryRead(ref buffer, out _, out _));
        Assert.Equal(AmiParseResult.Frame, parser.TryRead(ref buffer, out var message, out _));
        Assert.Equal("a-1", message!.ActionId);
        Assert.Equal(2, message.Headers.Count);
    }

    [Fact]
    public void Oversized_frame_is_discarded_whatever_the_split_and_the_next_frame_parses()
    {
        var big = new string('x', 5000);
        var bytes = Encoding.UTF8.GetBytes(
            $"Event: Big\r\nData: {big}\r\nMore: {big}\r\n\r\n" +
            $"Event: Huge\r\nLine: {big}{big}{big}\r\n\r\n" +
            "Event: Small\r\nKey: value\r\n\r\n");
        Gen.Int[0, bytes.Length].Array[0, 20].Sample(cuts =>
        {
            var frames = AmiFixtures.ParseInChunks(AmiFixtures.Split(bytes, cuts), false, out _, maxFrameBytes: 4096);
            return frames.Count == 1 && frames[0] is AmiEvent { Name: "Small" } e && e["Key"] == "value";
        }, iter: 1000);
    }

    [Fact]
    public void Oversized_frame_is_discarded_at_every_single_and_double_cut()
    {
        // Small sizes so every cut position (including between the '\r' and '\n' of the closing blank line) is tried.
        var big = new string('x', 150);
        var bytes = Encoding.UTF8.GetBytes($"Event: Big\r\nData: {big}\r\n\r\nEvent: Huge\r\nLine: {big}{big}\r\n\r\nEvent: Small\r\nKey: value\r\n\r\n");
        for (var a = 0; a <= bytes.Length; a++)
        {
            for (var b = a; b <= bytes.Length; b += 7)
            {
                var frames = AmiFixtures.ParseInChunks(AmiFixtures.Split(bytes, [a, b]), false, out _, maxFrameBytes: 100);
                Assert.True(frames.Count == 1 && frames[0] is AmiEvent { Name: "Small" }, $"cuts {a},{b}: {frames.Count} frames");
            }
        }
    }

    [Fact]
    public void Oversized_result_is_reported_once_per_frame()
    {
        var parser = new AmiFrameParser(expectBanner: false, maxFrameBytes: 100);
        var buffer = new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($"Event: X\r\nData: {new string('y', 500)}\r\n\r\nEvent: Y\r\n\r\n"));
        Assert.Equal(AmiParseResult.OversizedFrame, parser.TryRead(ref buffer, out _, out _));
        Assert.Equal(AmiParseResult.Frame, parser.TryRead(ref buffer, out var next, out _));
        Assert.Equal("Y", ((AmiEvent)next!).Name);
    }

    [Fact]
    public void Blank_lines_between_frames_are_ignored_and_values_keep_inner_spaces()
    {
        var frames = AmiFixtures.ParseInChunks(["\r\n\r\nEvent: A\r\nOutput:   indented  \r\nEmpty: \r\nNoSpace:tight\r\n\r\n\r\n"u8.ToArray()], false, out _);
        var e = Assert.IsType<AmiEvent>(Assert.Single(frames));
        Assert.Equal("  indented  ", e["Output"]);
        Assert.Equal(string.Empty, e["Empty"]);
        Assert.Equal("tight", e["nospace"]);
    }

    private sealed class FrameComparer : IEqualityComparer<List<KeyValuePair<string, string>>>
    {
        public static readonly FrameComparer Instance = new();

        public bool Equals(List<KeyValuePair<string, string>>? x, List<KeyValuePair<string, string>>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(List<KeyValuePair<string, string>> obj) => obj.Count;
    }
}
