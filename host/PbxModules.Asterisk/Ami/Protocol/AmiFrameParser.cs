using System.Buffers;
using System.Text;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Protocol;

/// <summary>
/// Incremental AMI frame parser over <see cref="ReadOnlySequence{T}"/> (what a <c>PipeReader</c> hands
/// out). Lines end in <c>\r\n</c> or a bare <c>\n</c>; a blank line ends a frame. Only whole lines are
/// decoded, so a UTF-8 character split across TCP reads is never cut. Headers of a frame that is still
/// arriving are kept here between calls, so the caller's buffer only ever holds one partial line.
/// </summary>
/// <remarks>Not thread-safe: one parser per connection (or per HTTP body).</remarks>
internal sealed class AmiFrameParser
{
    /// <summary>Default limit of one frame: far above anything Asterisk sends (a long <c>Command</c> output is a few hundred KiB).</summary>
    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    private const int MaxReportedLineLength = 200;

    private readonly List<KeyValuePair<string, string>> _headers = new(24);
    private readonly AmiHeaderNameCache _cache = new();
    private readonly int _maxFrameBytes;
    private long _frameBytes;
    private bool _discarding;
    private bool _discardingMidLine;

    /// <summary>Creates a parser.</summary>
    /// <param name="expectBanner">True for a TCP session: the first line is the banner.</param>
    /// <param name="maxFrameBytes">Largest accepted frame, in bytes.</param>
    public AmiFrameParser(bool expectBanner, int maxFrameBytes = DefaultMaxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 64);
        ExpectBanner = expectBanner;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>True until the banner line has been read.</summary>
    public bool ExpectBanner { get; private set; }

    /// <summary>The frame size limit in bytes.</summary>
    public int MaxFrameBytes => _maxFrameBytes;

    /// <summary>
    /// Consumes complete lines from <paramref name="buffer"/> until something is found. On return
    /// <paramref name="buffer"/> is what is left unconsumed (pass its start to <c>AdvanceTo</c>).
    /// </summary>
    /// <param name="buffer">The received bytes; advanced past what was consumed.</param>
    /// <param name="message">The frame, when the result is <see cref="AmiParseResult.Frame"/>.</param>
    /// <param name="text">The banner, or (shortened) the malformed line.</param>
    public AmiParseResult TryRead(ref ReadOnlySequence<byte> buffer, out AmiMessage? message, out string? text)
    {
        message = null;
        text = null;
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (true)
            {
                // The span overload copies only when a line straddles buffer segments, which is rare.
                if (!reader.TryReadTo(out ReadOnlySpan<byte> line, (byte)'\n', advancePastDelimiter: true))
                {
                    if (_discarding)
                    {
                        // A lone '\r' at the start of a line may be the first half of the blank line that ends
                        // the discarded frame: keep it, or the blank line would pass for a line's tail.
                        if (!_discardingMidLine && reader.Remaining == 1 && reader.TryPeek(out var first) && first == (byte)'\r')
                            return AmiParseResult.NeedMoreData;

                        // Drop the partial line too: an oversized frame must not pin memory.
                        if (reader.Remaining > 0) _discardingMidLine = true;
                        reader.AdvanceToEnd();
                        return AmiParseResult.NeedMoreData;
                    }

                    if (_frameBytes + reader.Remaining > _maxFrameBytes)
                    {
                        StartDiscarding(reader.Remaining > 0);
                        reader.AdvanceToEnd();
                        return AmiParseResult.OversizedFrame;
                    }

                    return AmiParseResult.NeedMoreData;
                }

                var result = ProcessLine(line, out message, out text);
                if (result != AmiParseResult.NeedMoreData) return result;
            }
        }
        finally
        {
            buffer = buffer.Slice(reader.Position);
        }
    }

    /// <summary>Forgets any partial frame (after a reconnect the parser starts clean).</summary>
    public void Reset(bool expectBanner)
    {
        _headers.Clear();
        _frameBytes = 0;
        _discarding = false;
        _discardingMidLine = false;
        ExpectBanner = expectBanner;
    }

    private AmiParseResult ProcessLine(ReadOnlySpan<byte> line, out AmiMessage? message, out string? text)
    {
        message = null;
        text = null;

        if (_discarding)
        {
            // The tail of a line whose start was dropped is not a blank line, even if it is empty now.
            var continuation = _discardingMidLine;
            _discardingMidLine = false;
            if (!continuation && IsBlank(line)) _discarding = false;
            return AmiParseResult.NeedMoreData;
        }

        _frameBytes += line.Length + 1;
        if (_frameBytes > _maxFrameBytes)
        {
            StartDiscarding(midLine: false);
            if (IsBlank(line)) _discarding = false;
            return AmiParseResult.OversizedFrame;
        }

        var span = line;
        if (!span.IsEmpty && span[^1] == (byte)'\r') span = span[..^1];

        if (ExpectBanner)
        {
            ExpectBanner = false;
            _frameBytes = 0;
            text = Encoding.UTF8.GetString(span);
            return AmiParseResult.Banner;
        }

        if (span.IsEmpty)
        {
            if (_headers.Count == 0)
            {
                // Stray blank lines between frames carry nothing.
                _frameBytes = 0;
                return AmiParseResult.NeedMoreData;
            }

            message = BuildMessage();
            _headers.Clear();
            _frameBytes = 0;
            return AmiParseResult.Frame;
        }

        var colon = span.IndexOf((byte)':');
        if (colon <= 0)
        {
            text = Shorten(span);
            return AmiParseResult.MalformedLine;
        }

        var (name, internValues) = _cache.GetName(span[..colon]);
        var valueBytes = span[(colon + 1)..];
        // Exactly one space follows the colon on the wire; more belong to the value (CLI output is indented).
        if (!valueBytes.IsEmpty && valueBytes[0] == (byte)' ') valueBytes = valueBytes[1..];
        var value = valueBytes.IsEmpty
            ? string.Empty
            : internValues ? _cache.GetString(valueBytes) : _cache.GetRepeatedValue(name, valueBytes);
        _headers.Add(new(name, value));
        return AmiParseResult.NeedMoreData;
    }

    private void StartDiscarding(bool midLine)
    {
        _headers.Clear();
        _frameBytes = 0;
        _discarding = true;
        _discardingMidLine = midLine;
    }

    private AmiMessage BuildMessage()
    {
        var first = _headers[0].Key;
        if (first.Equals("Event", StringComparison.OrdinalIgnoreCase)) return new AmiEvent(_headers);
        if (first.Equals("Response", StringComparison.OrdinalIgnoreCase)) return new AmiResponse(_headers);
        return new AmiMessage(_headers);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
        => line.IsEmpty || (line.Length == 1 && line[0] == (byte)'\r');

    private static string Shorten(ReadOnlySpan<byte> span)
    {
        var s = Encoding.UTF8.GetString(span.Length > MaxReportedLineLength ? span[..MaxReportedLineLength] : span);
        return span.Length > MaxReportedLineLength ? s + "…" : s;
    }
}
