using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Agi.Hosting;
using PbxModules.Asterisk.Agi.Server;
using PbxModules.Asterisk.Tests.Agi.Support;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Tests.Agi;

/// <summary>
/// A failing transport is told apart by the exception's type: the ones a lost connection throws end the
/// session as "connection lost" (one Information line); anything else is a defect, logged as an error.
/// </summary>
public class ConnectionErrorTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);
    private static readonly byte[] Environment = "agi_network: yes\nagi_network_script: errors\n\n"u8.ToArray();

    private const int ConnectionLostEvent = 12;
    private const int DisconnectedEvent = 6;
    private const int UnexpectedEvent = 11;

    public static TheoryData<string> LostConnections() => ["SocketException", "IOException", "ConnectionResetException", "ConnectionAbortedException", "ObjectDisposedException"];

    private static Exception Create(string name) => name switch
    {
        "SocketException" => new SocketException((int)SocketError.ConnectionReset),
        "IOException" => new IOException("Broken pipe"),
        "ConnectionResetException" => new ConnectionResetException("Connection reset by peer"),
        "ConnectionAbortedException" => new ConnectionAbortedException("The connection was aborted"),
        "ObjectDisposedException" => new ObjectDisposedException("Socket"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(LostConnections))]
    public async Task A_transport_failing_with_a_connection_error_while_a_command_waits_is_a_lost_connection(string exception)
    {
        var (error, lines) = await FailWhileCommandWaitsAsync(Create(exception));

        var hangup = Assert.IsType<AgiHangupException>(error);
        Assert.StartsWith("The connection to Asterisk was lost", hangup.Message);
        var line = Assert.Single(lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(ConnectionLostEvent, line.EventId.Id);
    }

    [Fact]
    public async Task A_defect_thrown_from_inside_System_IO_Pipelines_is_not_mistaken_for_a_lost_connection()
    {
        // The input misuses a pipe (reads one already completed): Pipelines throws InvalidOperationException
        // itself, so the exception's Source names that assembly, though no connection failed.
        var (error, lines) = await FailWhileCommandWaitsAsync(failure: null, input => new MisusedPipeReader(input));

        var hangup = Assert.IsType<AgiHangupException>(error);
        Assert.StartsWith("The AGI session failed", hangup.Message);
        Assert.Equal("System.IO.Pipelines", Assert.IsType<InvalidOperationException>(hangup.InnerException).Source);
        var line = Assert.Single(lines);
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal(UnexpectedEvent, line.EventId.Id);
    }

    [Fact]
    public async Task A_peer_resetting_the_socket_while_a_command_waits_costs_one_information_line()
    {
        var handlerError = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await FastAgiTestServer.StartAsync(async (channel, token) =>
        {
            try
            {
                await channel.AnswerAsync(token);
                handlerError.SetResult(null);
            }
            catch (Exception ex)
            {
                handlerError.SetResult(ex);
            }
        });
        using var safety = new CancellationTokenSource(Safety);
        using (var client = new TcpClient { NoDelay = true })
        {
            await client.ConnectAsync(IPAddress.Loopback, server.Port, safety.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Environment, safety.Token);
            await ReadLineAsync(stream, safety.Token);
            client.Client.LingerState = new LingerOption(true, 0);
        }

        Assert.IsType<AgiHangupException>(await handlerError.Task.WaitAsync(Safety));
        await Poll.UntilAsync(() => server.ConnectionHandler.ActiveSessions == 0, Safety);
        Assert.Empty(server.Errors());
        // Kestrel reports a reset either as a failed read or as the connection closing, whichever it sees first.
        var line = Assert.Single(server.AgiLogLines());
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains(line.EventId.Id, new[] { ConnectionLostEvent, DisconnectedEvent });
    }

    // Reads the environment, sends ANSWER, and ends the input (with the failure, if any) once the command is on the wire.
    private static async Task<(Exception? Error, IReadOnlyList<CapturingLoggerProvider.LogLine> Lines)> FailWhileCommandWaitsAsync(
        Exception? failure, Func<PipeReader, PipeReader>? wrapInput = null)
    {
        var toServer = new Pipe();
        var toAsterisk = new Pipe();
        var logs = new CapturingLoggerProvider();
        var session = new FastAgiSession(new DuplexPipe(wrapInput?.Invoke(toServer.Reader) ?? toServer.Reader, toAsterisk.Writer), new FastAgiOptions(),
            logs.CreateLogger("session"), TimeProvider.System, "errors", null);
        await using (session)
        {
            await toServer.Writer.WriteAsync(Environment);
            Assert.True(await session.ReadRequestAsync().WaitAsync(Safety));
            var reader = session.RunAsync();
            var command = session.SendCommandAsync("ANSWER").AsTask();

            var written = await toAsterisk.Reader.ReadAsync().AsTask().WaitAsync(Safety);
            Assert.Equal("ANSWER\n", Encoding.UTF8.GetString(written.Buffer.ToArray()));
            toAsterisk.Reader.AdvanceTo(written.Buffer.End);
            await toServer.Writer.CompleteAsync(failure);

            var error = await Record.ExceptionAsync(() => command.WaitAsync(Safety));
            await reader.WaitAsync(Safety);
            await session.StopAsync(reader).WaitAsync(Safety);
            return (error, logs.Lines);
        }
    }

    private static async Task ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != '\n')
        {
        }
    }

    // Reads through to the pipe until its writer completes, then reads a pipe that is completed already.
    private sealed class MisusedPipeReader(PipeReader inner) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            if (!result.IsCompleted) return result;
            var completed = new Pipe();
            await completed.Reader.CompleteAsync();
            return await completed.Reader.ReadAsync(cancellationToken);
        }

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
