using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Asterisk.Agi.Server;
using PbxModules.Sdk.Agi;

namespace PbxModules.Benchmarks;

/// <summary>
/// One AGI command round trip through the server's session (quoting, writing, the reader loop, reply
/// parsing, the reusable value-task source) against an in-memory Asterisk that answers every line at
/// once. Per operation: <see cref="CommandsPerOperation"/> commands; divide for per-command figures.
/// </summary>
[MemoryDiagnoser]
public class AgiSessionBenchmarks
{
    /// <summary>Commands per benchmark operation.</summary>
    public const int CommandsPerOperation = 100;

    private static readonly byte[] Environment = "agi_network: yes\nagi_network_script: module-black-list/check\nagi_callerid: 0912345678\n\n"u8.ToArray();
    private static readonly byte[] SetReply = "200 result=1\n"u8.ToArray();
    private static readonly byte[] GetReply = "200 result=1 (0912345678)\n"u8.ToArray();

    private Pipe _toServer = null!;
    private Pipe _toAsterisk = null!;
    private FastAgiSession _session = null!;
    private Task _reader = null!;
    private Task _asterisk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _toServer = new Pipe();
        _toAsterisk = new Pipe();
        _session = new FastAgiSession(new DuplexPipe(_toServer.Reader, _toAsterisk.Writer), new FastAgiOptions(),
            NullLogger.Instance, TimeProvider.System, "bench", null);
        _toServer.Writer.Write(Environment);
        _toServer.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        if (!_session.ReadRequestAsync().GetAwaiter().GetResult()) throw new InvalidOperationException("environment not read");
        _reader = _session.RunAsync();
        _asterisk = Task.Run(AnswerAsync);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Stopping completes the session's output, which ends the simulated Asterisk.
        _session.StopAsync(_reader).GetAwaiter().GetResult();
        _asterisk.GetAwaiter().GetResult();
        _toServer.Writer.Complete();
        _session.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The raw command: a constant line, no quoting.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = CommandsPerOperation)]
    public async Task<long> RawSendCommand()
    {
        long sum = 0;
        for (var i = 0; i < CommandsPerOperation; i++) sum += (await _session.SendCommandAsync("SET VARIABLE BLACKLISTED 1")).Result;
        return sum;
    }

    /// <summary>The typed SET VARIABLE: argument checks and quoting, then the round trip.</summary>
    [Benchmark(OperationsPerInvoke = CommandsPerOperation)]
    public async Task TypedSetVariable()
    {
        for (var i = 0; i < CommandsPerOperation; i++) await _session.SetVariableAsync("BLACKLISTED", "1");
    }

    /// <summary>The typed GET VARIABLE: the reply carries data, so it costs one string.</summary>
    [Benchmark(OperationsPerInvoke = CommandsPerOperation)]
    public async Task<int> TypedGetVariable()
    {
        var length = 0;
        for (var i = 0; i < CommandsPerOperation; i++) length += (await _session.GetVariableAsync("CALLERID(num)"))!.Length;
        return length;
    }

    // Answers each command line: GET gets a value, everything else "200 result=1".
    private async Task AnswerAsync()
    {
        var reader = _toAsterisk.Reader;
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var isGet = buffer.FirstSpan[0] == (byte)'G';
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                _toServer.Writer.Write(isGet ? GetReply : SetReply);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            await _toServer.Writer.FlushAsync();
            if (result.IsCompleted) return;
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
