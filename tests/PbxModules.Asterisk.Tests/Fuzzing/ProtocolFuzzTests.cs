using System.Buffers;
using CsCheck;
using PbxModules.Asterisk.Agi.Parsing;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the two wire parsers with hostile bytes in random chunks (docs/RELIABILITY.md).
/// The AMI frame parser never throws; the AGI line reader and parsers throw only
/// <see cref="AgiProtocolException"/>, their documented refusal. Every call makes progress (consumes
/// bytes or asks for more), so a case cannot spin; the whole run has a deadline, so a hang is a failure.
/// </summary>
public sealed class ProtocolFuzzTests
{
    /// <summary>Cases of the AMI parser per run.</summary>
    public const int AmiCases = 10_000;

    /// <summary>Cases of the AGI parsers per run (their streams are longer).</summary>
    public const int AgiCases = 4_000;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_AMI_frame_parser_survives_any_bytes_in_any_chunks()
    {
        await Task.Run(() => Gen.Select(ProtocolBytes.Stream(60), ProtocolBytes.Cuts, Gen.Bool, Gen.Int[64, 1024]).Sample((data, cuts, banner, limit) =>
        {
            var parser = new AmiFrameParser(banner, limit);
            byte[] pending = [];
            var results = 0;
            foreach (var chunk in ProtocolBytes.Chunks(data, cuts))
            {
                var buffer = ProtocolBytes.Append(pending, chunk);
                while (true)
                {
                    var before = buffer.Length;
                    var result = parser.TryRead(ref buffer, out var message, out _);
                    if (result == AmiParseResult.NeedMoreData) break;
                    // Anything but "need more" must have consumed bytes, or the reader would spin.
                    if (buffer.Length >= before) throw new InvalidOperationException($"{result} consumed nothing");
                    if (result == AmiParseResult.Frame && message is null) throw new InvalidOperationException("a frame without a message");
                    if (++results > data.Length + 1) throw new InvalidOperationException("more results than bytes");
                }
                pending = buffer.ToArray();
            }
        }, iter: AmiCases)).WaitAsync(Deadline);
    }

    [Fact]
    public async Task The_AGI_parsers_refuse_bad_input_only_with_AgiProtocolException()
    {
        await Task.Run(() => Gen.Select(ProtocolBytes.Stream(80), ProtocolBytes.Cuts, Gen.Int[16, 2048], Gen.Int[1, 200]).Sample((data, cuts, maxLine, maxVariables) =>
        {
            var environment = new AgiEnvironmentParser(maxVariables);
            var replies = new AgiReplyParser(maxLine * 4);
            var scratch = new byte[maxLine];
            byte[] pending = [];
            try
            {
                foreach (var chunk in ProtocolBytes.Chunks(data, cuts))
                {
                    var buffer = ProtocolBytes.Append(pending, chunk);
                    while (AgiLineReader.TryReadLine(ref buffer, maxLine, out var line))
                    {
                        var span = AgiLineReader.AsSpan(line, scratch);
                        if (!environment.IsComplete)
                        {
                            if (environment.ParseLine(span)) _ = environment.ToRequest();
                        }
                        else
                        {
                            var kind = replies.ParseLine(span, out var reply);
                            if (kind == AgiLineKind.Reply) _ = reply.ToString();
                        }
                    }
                    pending = buffer.ToArray();
                    if (pending.Length > maxLine) throw new InvalidOperationException("buffered past the line limit without refusing");
                }
            }
            catch (AgiProtocolException)
            {
                // The documented refusal: the session logs it once and closes.
            }
        }, iter: AgiCases)).WaitAsync(Deadline);
    }
}
