using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PbxModules.Asterisk.Ami.Protocol;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>
/// AMI over its TCP socket: reads with a <see cref="PipeReader"/> into <see cref="AmiFrameParser"/>,
/// writes frames through a <see cref="PipeWriter"/> under a lock (one frame at a time, never interleaved).
/// </summary>
internal sealed class AmiTcpTransport : IAmiTransport
{
    private const string BannerPrefix = "Asterisk Call Manager/";

    private readonly AmiClientOptions _options;
    private readonly ILogger _logger;
    private readonly Action<AmiMessage> _onFrame;
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly AmiFrameParser _parser;
    private Socket? _socket;
    private PipeReader? _reader;
    private PipeWriter? _writer;
    private Task _readLoop = Task.CompletedTask;

    public AmiTcpTransport(AmiClientOptions options, ILogger logger, Action<AmiMessage> onFrame)
    {
        _options = options;
        _logger = logger;
        _onFrame = onFrame;
        _parser = new AmiFrameParser(expectBanner: true, options.MaxFrameBytes);
    }

    public string ServerDescription { get; private set; } = "not connected";

    public Task<Exception> Closed => _closed.Task;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        await socket.ConnectAsync(_options.Host, _options.Port, cancellationToken).ConfigureAwait(false);
        var stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(stream);
        _writer = PipeWriter.Create(stream);

        // The banner is one line with no blank line after it; nothing else may come before the login.
        var banner = await ReadBannerAsync(_reader, cancellationToken).ConfigureAwait(false);
        if (!banner.StartsWith(BannerPrefix, StringComparison.Ordinal))
        {
            AmiLog.UnexpectedBanner(_logger, _options.Endpoint, banner);
            throw new AmiProtocolException($"{_options.Endpoint} is not an Asterisk manager: first line was '{banner}'.");
        }

        ServerDescription = banner;
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
    }

    public Task AuthenticateAsync(AmiActionSender send, CancellationToken cancellationToken)
        => AmiLogin.LoginAsync(send, _options, cancellationToken);

    public async Task SendAsync(AmiAction action, string actionId, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("Not connected.");
        if (_closed.Task.IsCompleted) throw new IOException("The AMI connection is closed.", _closed.Task.Result);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            AmiFrameWriter.WriteAction(writer, action, actionId);
            // Not cancellable once written: a half-flushed frame would corrupt the stream for everyone.
            var result = await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (result.IsCompleted) throw new IOException("The AMI connection is closed.");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Abort(ex);
            throw new IOException($"Writing to {_options.Endpoint} failed: {ex.Message}", ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void StartEvents()
    {
        // Events arrive on the same socket; the read loop is already delivering them.
    }

    public void Abort(Exception reason)
    {
        _closed.TrySetResult(reason);
        try
        {
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing to shut down.
        }

        _socket?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort(new ObjectDisposedException(nameof(AmiTcpTransport)));
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The loop reports through Closed; here we only wait for it to stop.
        }

        _writeLock.Dispose();
    }

    private async Task<string> ReadBannerAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var parsed = _parser.TryRead(ref buffer, out _, out var text);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (parsed == AmiParseResult.Banner) return text!;
            if (parsed == AmiParseResult.OversizedFrame) throw new AmiProtocolException($"{_options.Endpoint} sent an oversized first line: not an Asterisk manager.");
            if (result.IsCompleted) throw new IOException($"{_options.Endpoint} closed the connection before sending the AMI banner.");
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = _reader!;
        Exception reason;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var parsed = _parser.TryRead(ref buffer, out var message, out var text);
                    if (parsed == AmiParseResult.NeedMoreData) break;
                    switch (parsed)
                    {
                        case AmiParseResult.Frame:
                            _onFrame(message!);
                            break;
                        case AmiParseResult.MalformedLine:
                            AmiLog.MalformedLine(_logger, text!);
                            break;
                        case AmiParseResult.OversizedFrame:
                            AmiLog.OversizedFrame(_logger, _parser.MaxFrameBytes);
                            break;
                        case AmiParseResult.Banner:
                            break;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    reason = new IOException("Asterisk closed the connection.");
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            // Socket reset, abort, or a bug in a frame consumer: any of them ends this connection, never the process.
            reason = ex;
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        _closed.TrySetResult(reason);
    }
}
