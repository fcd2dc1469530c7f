using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Sdk.Agi;

namespace PbxModules.Benchmarks;

/// <summary>
/// FastAGI parsing: one session as a real Asterisk 20 sends it (the <c>fastagi_full</c> fixture: the
/// 22-line <c>agi_*</c> environment, then 36 replies including multi-line 520 usage, 510, 511 and the
/// unsolicited HANGUP). Baseline: the obvious parser, one string per line and string.Split per field.
/// Figures are per session.
/// </summary>
[MemoryDiagnoser]
public class AgiParsingBenchmarks
{
    // The fastagi_full capture (tests/fixtures/asterisk-20/fastagi_full.recv.raw), inlined so the
    // benchmark does not depend on where BenchmarkDotNet runs it from.
    private const string Session =
        "agi_network: yes\nagi_network_script: module-black-list/check\nagi_request: agi://127.0.0.1:4573/module-black-list/check\n"
        + "agi_channel: Local/100@from-test-00000002;2\nagi_language: en\nagi_type: Local\nagi_uniqueid: 1795389903.5\nagi_version: 20.20.1\n"
        + "agi_callerid: 0912345678\nagi_calleridname: Blocked Guy\nagi_callingpres: 0\nagi_callingani2: 0\nagi_callington: 0\nagi_callingtns: 0\n"
        + "agi_dnid: unknown\nagi_rdnis: unknown\nagi_context: from-test\nagi_extension: 100\nagi_priority: 2\nagi_enhanced: 0.0\n"
        + "agi_accountcode: \nagi_threadid: 140652026910400\n\n"
        + "200 result=1 (0912345678)\n200 result=1 (Blocked Guy)\n200 result=1 (0912345678)\n"
        + "520-Invalid command syntax.  Proper usage follows:\nEvaluates the given <replaceable>expression</replaceable> against the channel specified by <replaceable>channelname</replaceable>, or the current channel if <replaceable>channelname</replaceable> is not provided.\n"
        + "Unlike GET VARIABLE, the <replaceable>expression</replaceable> is processed in a manner similar to dialplan evaluation, allowing complex and built-in variables to be accessed, e.g. <literal>The time is ${EPOCH}</literal>\n"
        + "Returns <literal>0</literal> if no channel matching <replaceable>channelname</replaceable> exists, <literal>1</literal> otherwise.\nExample return code: 200 result=1 (The time is 1578493800)\n520 End of proper usage.\n"
        + "200 result=0\n200 result=0\n200 result=1\n200 result=1\n200 result=1 (hello world)\n200 result=1\n200 result=1\n200 result=1 (value)\n200 result=0\n200 result=1\n"
        + "510 Invalid or unknown command\n"
        + "520-Invalid command syntax.  Proper usage follows:\nReturns <literal>0</literal> if <replaceable>variablename</replaceable> is not set. Returns <literal>1</literal> if <replaceable>variablename</replaceable> is set and returns the variable in parentheses.\nExample return code: 200 result=1 (testvariable)\n520 End of proper usage.\n"
        + "520-Invalid command syntax.  Proper usage follows:\nAdds or updates an entry in the Asterisk database for a given <replaceable>family</replaceable>, <replaceable>key</replaceable>, and <replaceable>value</replaceable>.\nReturns <literal>1</literal> if successful, <literal>0</literal> otherwise.\n520 End of proper usage.\n"
        + "200 result=0\n200 result=-2\n200 result=0\n200 result=4\n200 result=0\n200 result=0\n200 result=6\n200 result=0\n200 result=1\nHANGUP\n"
        + "511 Command Not Permitted on a dead channel or intercept routine\n511 Command Not Permitted on a dead channel or intercept routine\n"
        + "200 result=1 (1)\n200 result=1\n511 Command Not Permitted on a dead channel or intercept routine\n200 result=1\n200 result=0\n"
        + "511 Command Not Permitted on a dead channel or intercept routine\n510 Invalid or unknown command\n";

    private byte[] _bytes = [];
    private ReadOnlySequence<byte> _segmented;
    private readonly byte[] _scratch = new byte[16 * 1024];
    private readonly AgiEnvironmentParser _environment = new(256);
    private readonly AgiReplyParser _replies = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Encoding.UTF8.GetBytes(Session);
        _segmented = Segments(_bytes, 64);
    }

    /// <summary>The naive parser: decode everything, split into lines, split each line into fields.</summary>
    [Benchmark(Baseline = true)]
    public int NaiveStringSplit()
    {
        var lines = Encoding.UTF8.GetString(_bytes).Split('\n');
        var environment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var parts = lines[i].Split(": ", 2);
            environment[parts[0]] = parts.Length > 1 ? parts[1] : string.Empty;
        }
        var replies = new List<AgiReply>();
        var hangups = 0;
        for (i++; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            if (line == "HANGUP")
            {
                hangups++;
                continue;
            }
            var code = int.Parse(line[..3]);
            if (line[3] == '-')
            {
                var text = new List<string> { line[4..] };
                while (!lines[++i].StartsWith(line[..3] + " ", StringComparison.Ordinal)) text.Add(lines[i]);
                text.Add(lines[i][4..]);
                replies.Add(new AgiReply(code, 0, null, null, string.Join('\n', text)));
                continue;
            }
            if (code != 200)
            {
                replies.Add(new AgiReply(code, 0, null, null, line[4..]));
                continue;
            }
            var fields = line[4..].Split(' ', 2);
            var result = long.Parse(fields[0].Split('=')[1]);
            string? data = null, extra = null;
            if (fields.Length > 1)
            {
                var open = fields[1].IndexOf('(');
                var close = fields[1].LastIndexOf(')');
                if (open == 0 && close > 0)
                {
                    data = fields[1][1..close];
                    extra = fields[1][(close + 1)..].Trim() is { Length: > 0 } e ? e : null;
                }
                else extra = fields[1];
            }
            replies.Add(new AgiReply(200, result, data, extra, null));
        }
        return environment.Count + replies.Count + hangups;
    }

    /// <summary>The server's parsers over the session in one contiguous buffer (a typical socket read).</summary>
    [Benchmark]
    public int Pipelines() => Parse(new ReadOnlySequence<byte>(_bytes));

    /// <summary>The same over 64-byte segments, so lines straddle segment boundaries.</summary>
    [Benchmark]
    public int PipelinesSegmented() => Parse(_segmented);

    /// <summary>The environment only, up to the <see cref="AgiRequest"/> a handler receives.</summary>
    [Benchmark]
    public int PipelinesEnvironmentToRequest()
    {
        var buffer = new ReadOnlySequence<byte>(_bytes);
        _environment.Reset();
        while (AgiLineReader.TryReadLine(ref buffer, _scratch.Length, out var line))
            if (_environment.ParseLine(AgiLineReader.AsSpan(line, _scratch))) break;
        return _environment.ToRequest().Variables.Count;
    }

    private int Parse(ReadOnlySequence<byte> buffer)
    {
        _environment.Reset();
        var count = 0;
        while (AgiLineReader.TryReadLine(ref buffer, _scratch.Length, out var line))
        {
            var span = AgiLineReader.AsSpan(line, _scratch);
            if (!_environment.IsComplete)
            {
                _environment.ParseLine(span);
                continue;
            }
            if (_replies.ParseLine(span, out _) != AgiLineKind.Partial) count++;
        }
        return _environment.Variables.Count + count;
    }

    private static ReadOnlySequence<byte> Segments(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var memory = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            if (first is null) first = last = new Segment(memory, 0);
            else last = last!.Append(memory);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
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
