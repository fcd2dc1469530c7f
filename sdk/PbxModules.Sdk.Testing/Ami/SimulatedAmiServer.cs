using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PbxModules.Sdk.Testing.Ami.Handlers;

namespace PbxModules.Sdk.Testing.Ami;

/// <summary>
/// A simulated Asterisk manager (AMI) on a real loopback TCP port, speaking the protocol the way a
/// captured Asterisk 20 does: the one-line banner, plain and MD5 <c>Challenge</c> login (a wrong one
/// answers after a delay and closes), <c>Ping</c>, <c>Command</c> with one <c>Output</c> header per line,
/// <c>CoreShowChannels</c> as an event list, <c>Getvar</c>/<c>Setvar</c>, async <c>Originate</c> with its
/// <c>OriginateResponse</c>, <c>Hangup</c>, <c>Redirect</c>, <c>QueueAdd</c>, <c>Events</c>, <c>Logoff</c>.
/// It records every action, streams events you script, and can drop, freeze or restart its
/// connections, so a module's AMI code can be tested without a PBX.
/// </summary>
/// <remarks>
/// This class is the TCP server and the test's handle; the PBX's state lives in <see cref="SimulatedPbx"/>,
/// the answers to actions in <see cref="AmiActionHandlers"/>, the received actions in <see cref="SimulatedAmiActionLog"/>.
/// </remarks>
/// <example><code>
/// await using var server = new SimulatedAmiServer();
/// await server.StartAsync();
/// // point the client at 127.0.0.1:server.Port, user "admin", secret "admin-secret"
/// await server.SendEventAsync("Hangup", ("Channel", "PJSIP/101-00000001"), ("Cause", "16"));
/// var reload = await server.WaitForActionAsync("Command", a => a["Command"] == "dialplan reload");
/// </code></example>
public sealed class SimulatedAmiServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, SimulatedAmiSession> _sessions = new();
    private readonly SimulatedAmiActionLog _actions = new();
    private readonly SimulatedPbx _pbx;
    private readonly AmiActionHandlers _handlers;
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task _acceptLoop = Task.CompletedTask;
    private int _connectionCounter;

    /// <summary>Creates the server; call <see cref="StartAsync"/> to listen.</summary>
    public SimulatedAmiServer(SimulatedAmiServerOptions? options = null)
    {
        Options = options ?? new SimulatedAmiServerOptions();
        Port = Options.Port;
        _pbx = new SimulatedPbx(Options.AsteriskVersion);
        _handlers = new AmiActionHandlers(this, _pbx);
    }

    /// <summary>The behaviour settings (changes apply to new logins).</summary>
    public SimulatedAmiServerOptions Options { get; }

    /// <summary>The loopback port (the chosen one once started when <see cref="SimulatedAmiServerOptions.Port"/> is 0). Stays the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>True while listening.</summary>
    public bool IsRunning => _listener is not null;

    /// <summary>
    /// While true the server keeps reading but answers nothing, like a hung Asterisk: a client's
    /// keepalive should notice and reconnect.
    /// </summary>
    public bool Unresponsive { get; set; }

    /// <summary>Global variables for <c>Getvar</c>/<c>Setvar</c> without a channel.</summary>
    public ConcurrentDictionary<string, string> GlobalVariables => _pbx.GlobalVariables;

    /// <summary>The AstDB for <c>DBPut</c>/<c>DBGet</c>, keyed <c>family/key</c>.</summary>
    public ConcurrentDictionary<string, string> Database => _pbx.Database;

    /// <summary>
    /// Decides the <c>Reason</c> of the <c>OriginateResponse</c> for an <c>Originate</c>: 4 (answered, the
    /// default) gives <c>Response: Success</c>; anything else (0 failed, 3 no answer, 5 busy, 8 congestion)
    /// gives <c>Response: Failure</c>.
    /// </summary>
    public Func<SimulatedAmiAction, int> OriginateReason { get; set; } = _ => 4;

    /// <summary>Every action received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<SimulatedAmiAction> ReceivedActions => _actions.Snapshot;

    /// <summary>Open client connections.</summary>
    public int ConnectedClients => _sessions.Count;

    /// <summary>Clients that are logged in.</summary>
    public int LoggedInClients => _sessions.Values.Count(s => s.LoggedIn);

    /// <summary>Starts listening on loopback (again on the same port after <see cref="StopAsync"/>).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_listener is not null) return Task.CompletedTask;
        var listener = new TcpListener(IPAddress.Loopback, Port);
        // A restart must get the same port back even while old connections linger in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _running = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(listener, _running.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and closes every connection abruptly (as a crashing Asterisk would).</summary>
    public async Task StopAsync()
    {
        var listener = _listener;
        if (listener is null) return;
        _listener = null;
        await _running!.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        DisconnectAll();
        _running.Dispose();
    }

    /// <summary>Stops and starts again on the same port: connected clients lose their connection and must reconnect.</summary>
    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await StartAsync().ConfigureAwait(false);
    }

    /// <summary>Closes every client connection now, without a goodbye; the server keeps listening.</summary>
    public void DisconnectAll()
    {
        foreach (var session in _sessions.Values) session.Close();
    }

    /// <summary>
    /// The connections open now stop answering (they keep reading), like an Asterisk whose manager
    /// sessions are wedged; connections made afterwards are served normally. Unlike
    /// <see cref="Unresponsive"/> there is no moment at which the test must switch the server back, so a
    /// client that reconnects at once (keepalive, backoff) cannot meet a server that is still hung.
    /// </summary>
    public void HangOpenConnections()
    {
        foreach (var session in _sessions.Values) session.Hung = true;
    }

    /// <summary>Sets what <c>Command</c> answers for a CLI command: one <c>Output</c> header per line.</summary>
    /// <param name="command">The CLI command, matched case-insensitively, e.g. <c>sip show peers</c>.</param>
    /// <param name="outputLines">The output lines.</param>
    public void SetCommandOutput(string command, params string[] outputLines) => _pbx.SetCommand(command, outputLines, isError: false);

    /// <summary>Makes <c>Command</c> answer <c>Response: Error</c> with these output lines for a CLI command.</summary>
    public void SetCommandError(string command, params string[] outputLines) => _pbx.SetCommand(command, outputLines, isError: true);

    /// <summary>Replaces the built-in behaviour of an action (or adds one) with a scripted reply.</summary>
    public void SetActionHandler(string action, Func<SimulatedAmiAction, SimulatedAmiReply> handler) => _handlers.SetScripted(action, handler);

    /// <summary>
    /// Adds a live channel: listed by <c>CoreShowChannels</c>, accepted by <c>Hangup</c> and <c>Redirect</c>.
    /// Headers beyond <c>Channel</c> default as in Asterisk (<c>ChannelState: 6</c>, <c>Up</c>…) unless given.
    /// </summary>
    public void AddChannel(string channel, params (string Name, string Value)[] headers) => _pbx.AddChannel(channel, headers);

    /// <summary>Removes a channel; true when it existed.</summary>
    public bool RemoveChannel(string channel) => _pbx.RemoveChannel(channel);

    /// <summary>The live channels' names.</summary>
    public IReadOnlyList<string> Channels => _pbx.ChannelNames;

    /// <summary>Sends an event to every logged-in client with events on.</summary>
    /// <param name="eventName">The event name, e.g. <c>Newchannel</c>.</param>
    /// <param name="headers">Headers after <c>Event</c>, in order.</param>
    /// <returns>How many clients it was sent to.</returns>
    public Task<int> SendEventAsync(string eventName, params (string Name, string Value)[] headers)
        => SendEventAsync([new("Event", eventName), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))]);

    /// <summary>Sends an event given as its full header list (<c>Event</c> first) to every logged-in client with events on.</summary>
    public async Task<int> SendEventAsync(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var text = Frame(headers);
        var sent = 0;
        foreach (var session in _sessions.Values)
            if (session.LoggedIn && session.EventsOn && await session.TryWriteAsync(text).ConfigureAwait(false)) sent++;
        return sent;
    }

    /// <summary>Sends raw text, unchecked, to every connected client (to test malformed input).</summary>
    public async Task<int> SendRawAsync(string text)
    {
        var sent = 0;
        foreach (var session in _sessions.Values)
            if (await session.TryWriteAsync(text).ConfigureAwait(false)) sent++;
        return sent;
    }

    /// <summary>
    /// Waits for an action, by name (case-insensitive) and optional condition, including one already
    /// received. Returns the first match.
    /// </summary>
    public Task<SimulatedAmiAction> WaitForActionAsync(string name, Func<SimulatedAmiAction, bool>? predicate = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _actions.WaitForAsync(name, predicate, cancellationToken);
    }

    /// <summary>Waits until at least <paramref name="count"/> clients are logged in.</summary>
    public async Task WaitForLoggedInClientsAsync(int count, CancellationToken cancellationToken = default)
    {
        while (LoggedInClients < count)
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the recorded actions.</summary>
    public void ClearReceivedActions() => _actions.Clear();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal static string Frame(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        return sb.Append("\r\n").ToString();
    }

    internal void Record(SimulatedAmiAction action) => _actions.Record(action);

    internal Task HandleAsync(SimulatedAmiSession session, SimulatedAmiAction action) => _handlers.HandleAsync(session, action);

    internal void Remove(SimulatedAmiSession session) => _sessions.TryRemove(session.Id, out _);

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var session = new SimulatedAmiSession(this, Interlocked.Increment(ref _connectionCounter), client);
            _sessions[session.Id] = session;
            _ = session.RunAsync();
        }
    }
}
