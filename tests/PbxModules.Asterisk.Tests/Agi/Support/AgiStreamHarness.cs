using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi.Support;

/// <summary>
/// Runs the server's parsers over bytes delivered in given chunks through a real <see cref="Pipe"/>,
/// the way the connection handler does, and renders what they produce.
/// </summary>
public static class AgiStreamHarness
{
    public sealed record Parsed(IReadOnlyList<KeyValuePair<string, string>> Environment, IReadOnlyList<string> Events, IReadOnlyList<AgiReply> Replies);

    public static Parsed Parse(IEnumerable<byte[]> chunks, int maxLineLength = 16 * 1024, int maxReplyLength = 64 * 1024)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var env = new AgiEnvironmentParser(256);
        var replies = new AgiReplyParser(maxReplyLength);
        var scratch = new byte[maxLineLength];
        var events = new List<string>();
        var replyList = new List<AgiReply>();
        foreach (var chunk in chunks)
        {
            pipe.Writer.Write(chunk);
            if (!pipe.Writer.FlushAsync().IsCompleted) throw new InvalidOperationException("flush should be synchronous");
            if (!pipe.Reader.TryRead(out var result)) continue;
            var buffer = result.Buffer;
            while (AgiLineReader.TryReadLine(ref buffer, maxLineLength, out var line))
            {
                var span = AgiLineReader.AsSpan(line, scratch);
                if (!env.IsComplete)
                {
                    env.ParseLine(span);
                    continue;
                }
                switch (replies.ParseLine(span, out var reply))
                {
                    case AgiLineKind.Hangup:
                        events.Add("HANGUP");
                        break;
                    case AgiLineKind.Reply:
                        events.Add(Render(reply));
                        replyList.Add(reply);
                        break;
                }
            }
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
        return new Parsed(env.Variables, events, replyList);
    }

    public static string Render(AgiReply r)
        => string.Join('|', r.StatusCode.ToString(CultureInfo.InvariantCulture), r.Result.ToString(CultureInfo.InvariantCulture),
            r.ResultText ?? "~", r.Data ?? "~", r.Extra ?? "~", r.Text ?? "~");

    /// <summary>Cuts <paramref name="bytes"/> at the given offsets (any order, duplicates allowed).</summary>
    public static List<byte[]> Split(byte[] bytes, IEnumerable<int> cuts)
    {
        var points = cuts.Select(c => Math.Clamp(c, 0, bytes.Length)).Append(0).Append(bytes.Length).Distinct().Order().ToList();
        var chunks = new List<byte[]>();
        for (var i = 1; i < points.Count; i++) chunks.Add(bytes[points[i - 1]..points[i]]);
        return chunks;
    }
}
