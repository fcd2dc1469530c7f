using System.Buffers;
using System.Text;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Tests.Ami;

/// <summary>Access to the captured Asterisk 20 transcripts, and an independent reading of them.</summary>
internal static partial class AmiFixtures
{
    private static readonly System.Text.RegularExpressions.Regex s_row = RowPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[0-9.]+ ([SC]>) (.*)$")]
    private static partial System.Text.RegularExpressions.Regex RowPattern();

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "asterisk-20", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>The decoded protocol lines of a transcript, by direction (<c>S&gt;</c> or <c>C&gt;</c>), terminators included.</summary>
    public static List<string> TranscriptLines(string name, string direction)
    {
        var lines = new List<string>();
        foreach (var row in File.ReadLines(PathOf(name)))
        {
            var match = s_row.Match(row);
            if (match.Success && match.Groups[1].Value == direction) lines.Add(PythonRepr.Decode(match.Groups[2].Value));
        }

        return lines;
    }

    /// <summary>
    /// Frames from transcript lines, by a deliberately naive reading (split at the first ": ") that
    /// shares no code with the parser under test. The first line is the banner when <paramref name="banner"/>.
    /// </summary>
    public static List<List<KeyValuePair<string, string>>> NaiveFrames(IEnumerable<string> lines, bool banner)
    {
        var frames = new List<List<KeyValuePair<string, string>>>();
        var current = new List<KeyValuePair<string, string>>();
        var skipBanner = banner;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\n').TrimEnd('\r');
            if (skipBanner)
            {
                skipBanner = false;
                continue;
            }

            if (line.Length == 0)
            {
                if (current.Count > 0) frames.Add(current);
                current = [];
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var value = line[(colon + 1)..];
            current.Add(new(line[..colon], value.StartsWith(' ') ? value[1..] : value));
        }

        return frames;
    }

    /// <summary>Parses a byte stream fed in the given chunks, the way a PipeReader would hand it over.</summary>
    public static List<AmiMessage> ParseInChunks(IEnumerable<byte[]> chunks, bool expectBanner, out string? banner, int maxFrameBytes = AmiFrameParser.DefaultMaxFrameBytes)
    {
        var parser = new AmiFrameParser(expectBanner, maxFrameBytes);
        var frames = new List<AmiMessage>();
        banner = null;
        byte[] pending = [];
        foreach (var chunk in chunks)
        {
            var data = new byte[pending.Length + chunk.Length];
            pending.CopyTo(data, 0);
            chunk.CopyTo(data, pending.Length);
            // Two segments where possible, so lines that straddle segments are exercised too.
            var buffer = pending.Length > 0 && chunk.Length > 0 ? TwoSegments(pending, chunk) : new ReadOnlySequence<byte>(data);
            while (true)
            {
                var result = parser.TryRead(ref buffer, out var message, out var text);
                if (result == AmiParseResult.NeedMoreData) break;
                if (result == AmiParseResult.Frame) frames.Add(message!);
                if (result == AmiParseResult.Banner) banner = text;
            }

            pending = buffer.ToArray();
        }

        return frames;
    }

    public static ReadOnlySequence<byte> TwoSegments(byte[] first, byte[] second)
    {
        var a = new Segment(first, 0);
        var b = a.Append(second);
        return new ReadOnlySequence<byte>(a, 0, b, second.Length);
    }

    public static IEnumerable<byte[]> Split(byte[] data, IEnumerable<int> cuts)
    {
        var last = 0;
        foreach (var cut in cuts.Where(c => c > 0 && c < data.Length).Distinct().Order())
        {
            yield return data[last..cut];
            last = cut;
        }

        yield return data[last..];
    }

    public static List<List<KeyValuePair<string, string>>> HeadersOf(IEnumerable<AmiMessage> frames)
        => [.. frames.Select(f => f.Headers.ToList())];

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}

/// <summary>Decodes the Python <c>repr</c> of a str as the transcripts write it.</summary>
internal static class PythonRepr
{
    public static string Decode(string repr)
    {
        repr = repr.Trim();
        var quote = repr[0];
        if (quote is not ('\'' or '"') || repr[^1] != quote) throw new FormatException($"Not a repr: {repr}");
        var body = repr[1..^1];
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var e = body[++i];
            switch (e)
            {
                case 'r': sb.Append('\r'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'x': sb.Append((char)Convert.ToInt32(body.Substring(i + 1, 2), 16)); i += 2; break;
                case 'u': sb.Append((char)Convert.ToInt32(body.Substring(i + 1, 4), 16)); i += 4; break;
                default: throw new FormatException($"Unknown escape \\{e} in {repr}");
            }
        }

        return sb.ToString();
    }
}
