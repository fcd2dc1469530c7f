using System.Buffers;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Parsing;

/// <summary>
/// Cuts <c>\n</c>-ended lines out of a pipe buffer. Asterisk ends AGI lines with <c>\n</c> only; a stray
/// <c>\r</c> before it is dropped so a hand-typed or bridged session still parses.
/// </summary>
internal static class AgiLineReader
{
    /// <summary>
    /// Takes the next complete line (without its terminator) off the front of <paramref name="buffer"/>.
    /// Returns false, leaving the buffer as it was, when no complete line is there yet.
    /// </summary>
    /// <exception cref="AgiProtocolException">A line is, or already has grown, longer than <paramref name="maxLineLength"/>.</exception>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, int maxLineLength, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            // Checked before the newline arrives so a peer cannot make us buffer without bound.
            if (buffer.Length > maxLineLength) throw LineTooLong(maxLineLength);
            line = default;
            return false;
        }
        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        if (line.Length > maxLineLength) throw LineTooLong(maxLineLength);
        return true;
    }

    /// <summary>
    /// Returns the line as one span: the segment itself when it is contiguous (the common case), else
    /// a copy into <paramref name="scratch"/>, which must hold the maximum line length. A trailing CR is cut.
    /// </summary>
    public static ReadOnlySpan<byte> AsSpan(in ReadOnlySequence<byte> line, byte[] scratch)
    {
        ReadOnlySpan<byte> span;
        if (line.IsSingleSegment)
        {
            span = line.FirstSpan;
        }
        else
        {
            line.CopyTo(scratch);
            span = scratch.AsSpan(0, (int)line.Length);
        }
        return span.Length > 0 && span[^1] == (byte)'\r' ? span[..^1] : span;
    }

    private static AgiProtocolException LineTooLong(int max)
        => new($"a line is longer than the limit of {max} bytes (FastAgiOptions.MaxLineLength)");
}
