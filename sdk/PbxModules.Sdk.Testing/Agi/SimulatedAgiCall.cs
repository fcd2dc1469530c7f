using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PbxModules.Sdk.Testing.Agi;

/// <summary>
/// A call that runs <c>AGI()</c> against your FastAGI server, played by a simulated Asterisk 20: it
/// connects over a real TCP socket, sends the <c>agi_*</c> environment exactly as Asterisk does, answers
/// each command as Asterisk would (or as you script it), records what it received, and can hang up at
/// any moment.
/// </summary>
/// <example>
/// <code>
/// await using var call = await SimulatedAgiCall.ConnectAsync(port, new SimulatedAgiCallOptions
/// {
///     CallerId = "0912345678",
///     Script = "module-black-list/check",
/// });
/// await call.Completion;                    // the server closed the session
/// Assert.Equal("1", call.Variables["BLACKLISTED"]);
/// </code>
/// </example>
public sealed partial class SimulatedAgiCall : IAsyncDisposable
{
    private readonly Stream _fromServer;
    private readonly Stream _toServer;
    private readonly IDisposable? _transport;
    private readonly int? _processId;
    private readonly SimulatedAsteriskChannel _channel;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Func<SimulatedAgiCommand, bool> Match, TaskCompletionSource<SimulatedAgiCommand> Waiter)> _waiters = [];
    private readonly List<SimulatedAgiExchange> _transcript = [];
    private Task _loop = Task.CompletedTask;

    private SimulatedAgiCall(Stream fromServer, Stream toServer, IDisposable? transport, int? processId, SimulatedAgiCallOptions options, string channelName)
    {
        _fromServer = fromServer;
        _toServer = toServer;
        _transport = transport;
        _processId = processId;
        Options = options;
        _channel = new SimulatedAsteriskChannel(options, channelName);
    }

    /// <summary>The options the call was placed with.</summary>
    public SimulatedAgiCallOptions Options { get; }

    /// <summary>
    /// Completes when the AGI server ends the session by closing the connection (Asterisk would then go
    /// on with the dialplan), or when this call is disposed. Faults only if the connection fails.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>The environment sent, in order, as <c>name: value</c> pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; private set; } = [];

    /// <summary>Every command received so far, in order.</summary>
    public IReadOnlyList<SimulatedAgiCommand> Commands
    {
        get { lock (_channel) return [.. _channel.Commands]; }
    }

    /// <summary>Every command received so far with the reply it got, in order: the conversation as a trace shows it.</summary>
    public IReadOnlyList<SimulatedAgiExchange> Transcript
    {
        get { lock (_channel) return [.. _transcript]; }
    }

    /// <summary>The channel variables now: those of <see cref="SimulatedAgiCallOptions.ChannelVariables"/> and those set with <c>SET VARIABLE</c> or <c>EXEC Set</c>.</summary>
    public IReadOnlyDictionary<string, string> Variables
    {
        get { lock (_channel) return new Dictionary<string, string>(_channel.Variables, StringComparer.Ordinal); }
    }

    /// <summary>The AstDB now, keyed <c>family/key</c>.</summary>
    public IReadOnlyDictionary<string, string> Database
    {
        get { lock (_channel) return new Dictionary<string, string>(_channel.Database, StringComparer.Ordinal); }
    }

    /// <summary>True once the caller hung up (by <see cref="HangUpAsync"/>, the <c>HANGUP</c> command, or a scripted reply).</summary>
    public bool IsHungUp
    {
        get { lock (_channel) return _channel.IsDead; }
    }

    /// <summary>
    /// The cause the AGI ended the call with, as Asterisk's <c>Hangup</c> event would report it: <c>0</c>
    /// (Unknown) after the <c>HANGUP</c> command, the argument of <c>EXEC Hangup</c> (16 without one),
    /// 17 after <c>EXEC Busy</c>, 34 after <c>EXEC Congestion</c>. Null while the channel is up or when
    /// the caller hung up.
    /// </summary>
    public int? HangupCause
    {
        get { lock (_channel) return _channel.HangupCause; }
    }

    /// <summary>Whether the channel has been answered.</summary>
    public bool IsAnswered
    {
        get { lock (_channel) return _channel.Answered; }
    }

    /// <summary>Where the dialplan continues after the AGI: context, extension and priority as set by <c>SET CONTEXT/EXTENSION/PRIORITY</c>.</summary>
    public (string Context, string Extension, string Priority) DialplanLocation
    {
        get { lock (_channel) return (_channel.Context, _channel.Extension, _channel.Priority); }
    }

    /// <summary>Connects to a FastAGI server on 127.0.0.1 and sends the environment.</summary>
    public static Task<SimulatedAgiCall> ConnectAsync(int port, SimulatedAgiCallOptions? options = null, CancellationToken cancellationToken = default)
        => ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), options, cancellationToken);

    /// <summary>Connects to a FastAGI server and sends the environment, as <c>AGI(agi://host:port/script)</c> does.</summary>
    public static async Task<SimulatedAgiCall> ConnectAsync(IPEndPoint endPoint, SimulatedAgiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        options ??= new SimulatedAgiCallOptions();
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        var call = new SimulatedAgiCall(stream, stream, stream, processId: null, options, ChannelName(options));
        var env = call._channel.BuildEnvironment(network: true, endPoint.Port);
        await call.StartAsync(env, cancellationToken).ConfigureAwait(false);
        return call;
    }

    /// <summary>
    /// Plays Asterisk for a process AGI (<c>AGI(pbx-agi,script,args…)</c>): writes the environment to the
    /// script's standard input and answers the commands it writes to its standard output. Hanging up
    /// sends the process SIGHUP, as Asterisk does for a process AGI.
    /// </summary>
    /// <param name="process">A started process with redirected standard input and output.</param>
    /// <param name="options">The call.</param>
    /// <param name="cancellationToken">Cancels writing the environment.</param>
    public static async Task<SimulatedAgiCall> StartProcessAgiAsync(Process process, SimulatedAgiCallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        options ??= new SimulatedAgiCallOptions();
        var call = new SimulatedAgiCall(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, transport: null, process.Id, options, ChannelName(options));
        var env = call._channel.BuildEnvironment(network: false, port: 0);
        await call.StartAsync(env, cancellationToken).ConfigureAwait(false);
        return call;
    }

    /// <summary>
    /// The caller hangs up now: sends the unsolicited <c>HANGUP</c> line (SIGHUP for a process AGI).
    /// Later commands get what a dead channel gets (511 for most, 200 for variables, database, exec…).
    /// </summary>
    public async Task HangUpAsync()
    {
        lock (_channel)
        {
            if (_channel.IsDead) return;
            _channel.IsDead = true;
        }
        await SendHangupAsync().ConfigureAwait(false);
    }

    /// <summary>Writes raw text to the server, bypassing the protocol (to test garbage handling).</summary>
    public async Task SendRawAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        await WriteAsync(text).ConfigureAwait(false);
    }

    /// <summary>Waits until a command matching <paramref name="match"/> (any, when null) has been received, including one received earlier.</summary>
    public Task<SimulatedAgiCommand> WaitForCommandAsync(Func<SimulatedAgiCommand, bool>? match = null, CancellationToken cancellationToken = default)
    {
        match ??= static _ => true;
        var tcs = new TaskCompletionSource<SimulatedAgiCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_channel)
        {
            var seen = _channel.Commands.FirstOrDefault(match);
            if (seen is not null) return Task.FromResult(seen);
            if (_completion.Task.IsCompleted) return Task.FromException<SimulatedAgiCommand>(new InvalidOperationException("The AGI session has ended without such a command."));
            _waiters.Add((match, tcs));
        }
        return tcs.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Drops the connection at once, as a crashing Asterisk would.</summary>
    public async Task DisconnectAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _transport?.Dispose();
        if (_transport is null)
        {
            // A process AGI: closing its standard input is all Asterisk can do short of killing it.
            await _toServer.DisposeAsync().ConfigureAwait(false);
        }
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Closes the connection (if the server has not) and waits for the call to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _transport?.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        finally
        {
            _completion.TrySetResult();
            _writeLock.Dispose();
        }
    }

    private static string ChannelName(SimulatedAgiCallOptions options)
        => options.Channel ?? $"Local/{options.Extension}@{options.Context}-{SimulatedAgiCallOptions.NextSequence():x8};2";

    private async Task StartAsync(List<KeyValuePair<string, string>> environment, CancellationToken cancellationToken)
    {
        Environment = environment;
        var sb = new StringBuilder();
        foreach (var (name, value) in environment) sb.Append(name).Append(": ").Append(value).Append('\n');
        sb.Append('\n');
        await WriteAsync(sb.ToString(), cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }
}
