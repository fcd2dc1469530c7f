using System.Buffers;
using System.Text;
using CsCheck;

namespace PbxModules.Asterisk.Tests.Fuzzing;

/// <summary>
/// Generators for hostile protocol input: mostly the tokens that steer a line parser (line ends, colons,
/// blank lines, reply codes, the words Asterisk sends), mixed with arbitrary bytes (invalid UTF-8, NUL),
/// and a way to hand the result over in random chunks across segment boundaries, as a pipe would.
/// </summary>
internal static class ProtocolBytes
{
    private static readonly string[] Tokens =
    [
        "\r\n", "\n", "\r", "\r\n\r\n", "\n\n", ":", ": ", " ", "  ", "\t", "-", "=", "(", ")", "\"",
        "Asterisk Call Manager/9.0.0", "Event", "Response", "ActionID", "Success", "Error", "Follows",
        "--END COMMAND--", "Output", "Message", "agi_", "agi_request", "agi_channel", "agi_arg_1",
        "HANGUP", "200", "510", "511", "520", "520-", "520 End of proper usage.", "result=", "result=1",
        "result=-1", "endpos=", "(timeout)", "0", "9", "999999999999999999999", "é", "🎧",
    ];

    /// <summary>A byte stream of up to <paramref name="maxParts"/> tokens or raw byte runs.</summary>
    public static Gen<byte[]> Stream(int maxParts) =>
        Gen.OneOf(
                Gen.OneOf(Tokens).Select(t => Encoding.UTF8.GetBytes(t)),
                Gen.OneOf(Tokens).Select(t => Encoding.UTF8.GetBytes(t)),
                Gen.Byte.Array[1, 8],
                // A long run: oversize lines and frames.
                Gen.Byte[(byte)'a', (byte)'z'].Array[100, 2000])
            .Array[0, maxParts]
            .Select(parts => parts.SelectMany(p => p).ToArray());

    /// <summary>Cut points for <see cref="Chunks"/>.</summary>
    public static Gen<int[]> Cuts => Gen.Int[0, 4096].Array[0, 12];

    /// <summary>The stream in chunks, each chunk possibly itself two segments.</summary>
    public static List<byte[]> Chunks(byte[] data, int[] cuts)
    {
        var chunks = new List<byte[]>();
        var last = 0;
        foreach (var cut in cuts.Where(c => c > 0 && c < data.Length).Distinct().Order())
        {
            chunks.Add(data[last..cut]);
            last = cut;
        }
        chunks.Add(data[last..]);
        return chunks;
    }

    /// <summary>What is still unconsumed plus a new chunk, as two segments when both have bytes.</summary>
    public static ReadOnlySequence<byte> Append(byte[] pending, byte[] chunk)
    {
        if (pending.Length == 0) return new ReadOnlySequence<byte>(chunk);
        if (chunk.Length == 0) return new ReadOnlySequence<byte>(pending);
        var first = new Segment(pending, 0);
        var second = first.Append(chunk);
        return new ReadOnlySequence<byte>(first, 0, second, chunk.Length);
    }

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
