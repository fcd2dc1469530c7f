using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;

namespace PbxModules.Benchmarks;

/// <summary>
/// AMI frame parsing: the event stream of a captured Asterisk 20 call (the <c>ami_session</c> fixture's
/// Originate section, repeated), parsed into frames. Baseline: the obvious StreamReader + string.Split
/// parser. Results are per stream; divide by <see cref="FramesPerStream"/> for per-frame figures.
/// </summary>
[MemoryDiagnoser]
public class AmiParsingBenchmarks
{
    private byte[] _stream = [];

    /// <summary>Frames in one stream (printed in the setup log).</summary>
    public int FramesPerStream { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var frames = new StringBuilder();
        // Typical call events, as Asterisk 20 writes them (from the ami_session capture).
        const string newchannel = "Event: Newchannel\r\nPrivilege: call,all\r\nChannel: Local/100@from-test-00000000;1\r\nChannelState: 0\r\nChannelStateDesc: Down\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: from-test\r\nExten: 100\r\nPriority: 1\r\nUniqueid: 1795389869.0\r\nLinkedid: 1795389869.0\r\n\r\n";
        const string varset = "Event: VarSet\r\nPrivilege: dialplan,all\r\nChannel: Local/100@from-test-00000000;1\r\nChannelState: 0\r\nChannelStateDesc: Down\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: from-test\r\nExten: 100\r\nPriority: 1\r\nUniqueid: 1795389869.0\r\nLinkedid: 1795389869.0\r\nVariable: ORIGVAR\r\nValue: hello\r\n\r\n";
        const string response = "Response: Success\r\nActionID: pbxm-1a2b3-17\r\nMessage: Originate successfully queued\r\n\r\n";
        const string hangup = "Event: Hangup\r\nPrivilege: call,all\r\nChannel: Local/999@no-such-context-00000001;1\r\nChannelState: 0\r\nChannelStateDesc: Down\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\nConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\nContext: no-such-context\r\nExten: 999\r\nPriority: 1\r\nUniqueid: 1795389879.2\r\nLinkedid: 1795389879.2\r\nCause: 0\r\nCause-txt: Unknown\r\n\r\n";
        for (var i = 0; i < 250; i++) frames.Append(newchannel).Append(varset).Append(response).Append(hangup);
        _stream = Encoding.UTF8.GetBytes(frames.ToString());
        FramesPerStream = 1000;
    }

    /// <summary>The naive parser: a StreamReader, one string per line, string.Split per header.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = 1000)]
    public int NaiveStreamReader()
    {
        using var reader = new StreamReader(new MemoryStream(_stream, writable: false), Encoding.UTF8);
        var headers = new List<KeyValuePair<string, string>>();
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                if (headers.Count == 0) continue;
                AmiMessage message = headers[0].Key == "Event" ? new AmiEvent(headers) : new AmiResponse(headers);
                count += message.Headers.Count > 0 ? 1 : 0;
                headers.Clear();
                continue;
            }

            var parts = line.Split(": ", 2);
            headers.Add(new(parts[0], parts.Length > 1 ? parts[1] : string.Empty));
        }

        return count;
    }

    /// <summary>The client's parser over a sequence, as the PipeReader hands it (single segment here).</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public int SequenceReaderParser()
    {
        var parser = new AmiFrameParser(expectBanner: false);
        var buffer = new ReadOnlySequence<byte>(_stream);
        var count = 0;
        while (parser.TryRead(ref buffer, out var message, out _) != AmiParseResult.NeedMoreData)
            count += message is null ? 0 : 1;
        return count;
    }

    /// <summary>The same, fed in 4 KiB reads the way a socket delivers it (lines straddle reads).</summary>
    [Benchmark(OperationsPerInvoke = 1000)]
    public int SequenceReaderParserChunked()
    {
        var parser = new AmiFrameParser(expectBanner: false);
        var count = 0;
        var start = 0;
        var end = 0;
        const int Read = 4096;
        while (end < _stream.Length)
        {
            end = Math.Min(end + Read, _stream.Length);
            var buffer = new ReadOnlySequence<byte>(_stream, start, end - start);
            while (parser.TryRead(ref buffer, out var message, out _) != AmiParseResult.NeedMoreData)
                count += message is null ? 0 : 1;
            start = end - (int)buffer.Length;
        }

        return count;
    }
}
