using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

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
    private readonly List<SimulatedAmiAction> _actions = [];
    private readonly List<(string Name, Func<SimulatedAmiAction, bool>? Predicate, TaskCompletionSource<SimulatedAmiAction> Waiter)> _actionWaiters = [];
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Lines, bool IsError)> _commands = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Func<SimulatedAmiAction, SimulatedAmiReply>> _handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IReadOnlyList<KeyValuePair<string, string>>> _channels = [];
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private TcpListener? _listener;
    private CancellationTokenSource? _running;
    private Task _acceptLoop = Task.CompletedTask;
    private int _connectionCounter;
    private int _uniqueIdCounter;

    /// <summary>Creates the server; call <see cref="StartAsync"/> to listen.</summary>
    public SimulatedAmiServer(SimulatedAmiServerOptions? options = null)
    {
        Options = options ?? new SimulatedAmiServerOptions();
        Port = Options.Port;
        SetCommandOutput("core show version", $"Asterisk {Options.AsteriskVersion} built by root @ vm on a x86_64 running Linux on 2026-11-22 23:19:02 UTC");
        SetCommandOutput("dialplan reload", "Dialplan reloaded.");
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
    public ConcurrentDictionary<string, string> GlobalVariables { get; } = new(StringComparer.Ordinal);

    /// <summary>The AstDB for <c>DBPut</c>/<c>DBGet</c>, keyed <c>family/key</c>.</summary>
    public ConcurrentDictionary<string, string> Database { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Decides the <c>Reason</c> of the <c>OriginateResponse</c> for an <c>Originate</c>: 4 (answered, the
    /// default) gives <c>Response: Success</c>; anything else (0 failed, 3 no answer, 5 busy, 8 congestion)
    /// gives <c>Response: Failure</c>.
    /// </summary>
    public Func<SimulatedAmiAction, int> OriginateReason { get; set; } = _ => 4;

    /// <summary>Every action received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<SimulatedAmiAction> ReceivedActions
    {
        get { lock (_gate) return [.. _actions]; }
    }

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
    public void SetCommandOutput(string command, params string[] outputLines) => _commands[command] = (outputLines, false);

    /// <summary>Makes <c>Command</c> answer <c>Response: Error</c> with these output lines for a CLI command.</summary>
    public void SetCommandError(string command, params string[] outputLines) => _commands[command] = (outputLines, true);

    /// <summary>Replaces the built-in behaviour of an action (or adds one) with a scripted reply.</summary>
    public void SetActionHandler(string action, Func<SimulatedAmiAction, SimulatedAmiReply> handler) => _handlers[action] = handler;

    /// <summary>
    /// Adds a live channel: listed by <c>CoreShowChannels</c>, accepted by <c>Hangup</c> and <c>Redirect</c>.
    /// Headers beyond <c>Channel</c> default as in Asterisk (<c>ChannelState: 6</c>, <c>Up</c>…) unless given.
    /// </summary>
    public void AddChannel(string channel, params (string Name, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>> { new("Channel", channel) };
        void Default(string name, string value)
        {
            var given = headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
            list.Add(new(name, given.Name is null ? value : given.Value));
        }

        Default("ChannelState", "6");
        Default("ChannelStateDesc", "Up");
        Default("CallerIDNum", "<unknown>");
        Default("CallerIDName", "<unknown>");
        Default("ConnectedLineNum", "<unknown>");
        Default("ConnectedLineName", "<unknown>");
        Default("Language", "en");
        Default("AccountCode", string.Empty);
        Default("Context", "default");
        Default("Exten", "s");
        Default("Priority", "1");
        Default("Uniqueid", NewUniqueId());
        Default("Linkedid", list.First(h => h.Key == "Uniqueid").Value);
        Default("Application", string.Empty);
        Default("ApplicationData", string.Empty);
        Default("Duration", "00:00:01");
        Default("BridgeId", string.Empty);
        foreach (var h in headers)
            if (!list.Any(l => string.Equals(l.Key, h.Name, StringComparison.OrdinalIgnoreCase))) list.Add(new(h.Name, h.Value));
        lock (_gate) _channels.Add(list);
    }

    /// <summary>Removes a channel; true when it existed.</summary>
    public bool RemoveChannel(string channel)
    {
        lock (_gate) return _channels.RemoveAll(c => c[0].Value == channel) > 0;
    }

    /// <summary>The live channels' names.</summary>
    public IReadOnlyList<string> Channels
    {
        get { lock (_gate) return [.. _channels.Select(c => c[0].Value)]; }
    }

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
        lock (_gate)
        {
            foreach (var action in _actions)
                if (Matches(action, name, predicate)) return Task.FromResult(action);
            var waiter = new TaskCompletionSource<SimulatedAmiAction>(TaskCreationOptions.RunContinuationsAsynchronously);
            _actionWaiters.Add((name, predicate, waiter));
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> clients are logged in.</summary>
    public async Task WaitForLoggedInClientsAsync(int count, CancellationToken cancellationToken = default)
    {
        while (LoggedInClients < count)
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the recorded actions.</summary>
    public void ClearReceivedActions()
    {
        lock (_gate) _actions.Clear();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal static string Frame(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        return sb.Append("\r\n").ToString();
    }

    internal string NewUniqueId()
        => string.Create(CultureInfo.InvariantCulture, $"{_startedAt.ToUnixTimeSeconds()}.{Interlocked.Increment(ref _uniqueIdCounter) - 1}");

    internal void Record(SimulatedAmiAction action)
    {
        List<TaskCompletionSource<SimulatedAmiAction>> completed = [];
        lock (_gate)
        {
            _actions.Add(action);
            for (var i = _actionWaiters.Count - 1; i >= 0; i--)
            {
                var (name, predicate, waiter) = _actionWaiters[i];
                if (!Matches(action, name, predicate)) continue;
                completed.Add(waiter);
                _actionWaiters.RemoveAt(i);
            }
        }

        foreach (var waiter in completed) waiter.TrySetResult(action);
    }

    internal void Remove(SimulatedAmiSession session) => _sessions.TryRemove(session.Id, out _);

    private static bool Matches(SimulatedAmiAction action, string name, Func<SimulatedAmiAction, bool>? predicate)
        => string.Equals(action.Name, name, StringComparison.OrdinalIgnoreCase) && (predicate is null || predicate(action));

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

    /// <summary>The built-in answer to an action; null for none (unknown actions get Asterisk's error).</summary>
    internal async Task HandleAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        if (Unresponsive || session.Hung) return;
        var name = action.Name.ToLowerInvariant();
        if (!session.LoggedIn && name is not ("login" or "challenge" or "logoff"))
        {
            await session.ReplyAsync(action, new SimulatedAmiReply("Error", ("Message", "Permission denied"))).ConfigureAwait(false);
            return;
        }

        if (_handlers.TryGetValue(action.Name, out var handler))
        {
            await session.ReplyAsync(action, handler(action)).ConfigureAwait(false);
            return;
        }

        switch (name)
        {
            case "challenge":
                if (!string.Equals(action["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
                {
                    await session.ReplyAsync(action, new SimulatedAmiReply("Error", ("Message", "Must specify AuthType"))).ConfigureAwait(false);
                    return;
                }

                session.Challenge = Options.ChallengeFactory();
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Challenge", session.Challenge))).ConfigureAwait(false);
                return;
            case "login":
                await LoginAsync(session, action).ConfigureAwait(false);
                return;
            case "logoff":
                await session.ReplyAsync(action, new SimulatedAmiReply("Goodbye", ("Message", "Thanks for all the fish.")) { CloseAfter = true }).ConfigureAwait(false);
                return;
            case "ping":
                var now = DateTimeOffset.UtcNow;
                var timestamp = (now.ToUnixTimeMilliseconds() / 1000.0).ToString("F6", CultureInfo.InvariantCulture);
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Ping", "Pong"), ("Timestamp", timestamp))).ConfigureAwait(false);
                return;
            case "events":
                var mask = action["EventMask"] ?? "on";
                session.EventsOn = !string.Equals(mask, "off", StringComparison.OrdinalIgnoreCase);
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Events", session.EventsOn ? "On" : "Off"))).ConfigureAwait(false);
                return;
            case "command":
                await session.ReplyAsync(action, CommandReply(action["Command"] ?? string.Empty)).ConfigureAwait(false);
                return;
            case "corestatus":
                await session.ReplyAsync(action, new SimulatedAmiReply("Success",
                    ("CoreStartupDate", _startedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    ("CoreStartupTime", _startedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
                    ("CoreReloadDate", _startedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    ("CoreReloadTime", _startedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
                    ("CoreCurrentCalls", Channels.Count.ToString(CultureInfo.InvariantCulture)),
                    ("CoreProcessedCalls", "0"))).ConfigureAwait(false);
                return;
            case "coresettings":
                await session.ReplyAsync(action, new SimulatedAmiReply("Success",
                    ("AMIversion", Options.AmiVersion), ("AsteriskVersion", Options.AsteriskVersion), ("SystemName", string.Empty),
                    ("CoreMaxCalls", "0"), ("CoreMaxLoadAvg", "0.000000"), ("CoreRunUser", string.Empty), ("CoreRunGroup", string.Empty),
                    ("CoreMaxFilehandles", "0"), ("CoreRealTimeEnabled", "No"), ("CoreCDRenabled", "No"), ("CoreHTTPenabled", "Yes"),
                    ("SoundsSearchCustomDir", "No"))).ConfigureAwait(false);
                return;
            case "setvar":
                await SetvarAsync(session, action).ConfigureAwait(false);
                return;
            case "getvar":
                var variable = action["Variable"] ?? string.Empty;
                var value = action["Channel"] is null && GlobalVariables.TryGetValue(variable, out var v) ? v : string.Empty;
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Variable", variable), ("Value", value))).ConfigureAwait(false);
                return;
            case "dbput":
                Database[$"{action["Family"]}/{action["Key"]}"] = action["Val"] ?? string.Empty;
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Message", "Updated database successfully"))).ConfigureAwait(false);
                return;
            case "dbget":
                await session.ReplyAsync(action, DbGetReply(action)).ConfigureAwait(false);
                return;
            case "coreshowchannels":
                await session.ReplyAsync(action, CoreShowChannelsReply()).ConfigureAwait(false);
                return;
            case "originate":
                await OriginateAsync(session, action).ConfigureAwait(false);
                return;
            case "hangup":
                var hungUp = RemoveChannel(action["Channel"] ?? string.Empty);
                await session.ReplyAsync(action, hungUp
                    ? new SimulatedAmiReply("Success", ("Message", "Channel Hungup"))
                    : new SimulatedAmiReply("Error", ("Message", "No such channel"))).ConfigureAwait(false);
                return;
            case "redirect":
                var exists = Channels.Contains(action["Channel"] ?? string.Empty);
                await session.ReplyAsync(action, exists
                    ? new SimulatedAmiReply("Success", ("Message", "Redirect successful"))
                    : new SimulatedAmiReply("Error", ("Message", $"Channel does not exist: {action["Channel"]}"))).ConfigureAwait(false);
                return;
            case "queueadd":
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Message", "Added interface to queue"))).ConfigureAwait(false);
                return;
            case "userevent":
                await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Message", "Event Sent"))).ConfigureAwait(false);
                List<KeyValuePair<string, string>> userEvent = [new("Event", "UserEvent"), new("Privilege", "user,all")];
                userEvent.AddRange(action.Headers.Where(h => !string.Equals(h.Key, "Action", StringComparison.OrdinalIgnoreCase)));
                await SendEventAsync(userEvent).ConfigureAwait(false);
                return;
            default:
                await session.ReplyAsync(action, new SimulatedAmiReply("Error",
                    ("Message", $"Invalid/unknown command: {action.Name}. Use Action: ListCommands to show available commands."))).ConfigureAwait(false);
                return;
        }
    }

    private async Task LoginAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var userOk = string.Equals(action["Username"], Options.Username, StringComparison.Ordinal);
        bool secretOk;
        if (string.Equals(action["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
        {
            var expected = session.Challenge is null ? null : Md5Hex(session.Challenge + Options.Secret);
            secretOk = expected is not null && string.Equals(action["Key"], expected, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            secretOk = string.Equals(action["Secret"], Options.Secret, StringComparison.Ordinal);
        }

        if (!userOk || !secretOk)
        {
            // Asterisk sleeps before answering a bad login, then hangs up.
            await Task.Delay(Options.FailedLoginDelay).ConfigureAwait(false);
            await session.ReplyAsync(action, new SimulatedAmiReply("Error", ("Message", "Authentication failed")) { CloseAfter = true }).ConfigureAwait(false);
            return;
        }

        session.LoggedIn = true;
        var events = action["Events"];
        if (events is not null) session.EventsOn = !string.Equals(events, "off", StringComparison.OrdinalIgnoreCase);
        await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Message", "Authentication accepted"))).ConfigureAwait(false);
        if (!session.EventsOn) return;
        var uptime = ((int)(DateTimeOffset.UtcNow - _startedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await session.TryWriteAsync(Frame([
            new("Event", "FullyBooted"), new("Privilege", "system,all"), new("Uptime", uptime),
            new("LastReload", uptime), new("Status", "Fully Booted")])).ConfigureAwait(false);
        var tv = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff+0000", CultureInfo.InvariantCulture);
        await session.TryWriteAsync(Frame([
            new("Event", "SuccessfulAuth"), new("Privilege", "security,all"), new("EventTV", tv), new("Severity", "Informational"),
            new("Service", "AMI"), new("EventVersion", "1"), new("AccountID", Options.Username),
            new("SessionID", $"0x{session.Id:x12}"), new("LocalAddress", $"IPV4/TCP/127.0.0.1/{Port}"),
            new("RemoteAddress", $"IPV4/TCP/{session.RemoteAddress}"), new("UsingPassword", "0"), new("SessionTV", tv)])).ConfigureAwait(false);
    }

    private async Task SetvarAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var variable = action["Variable"];
        if (string.IsNullOrEmpty(variable))
        {
            await session.ReplyAsync(action, new SimulatedAmiReply("Error", ("Message", "No variable specified"))).ConfigureAwait(false);
            return;
        }

        var value = action["Value"] ?? string.Empty;
        if (action["Channel"] is null) GlobalVariables[variable] = value;
        await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Message", "Variable Set"))).ConfigureAwait(false);
        await SendEventAsync("VarSet", ("Privilege", "dialplan,all"), ("Channel", action["Channel"] ?? "none"),
            ("Uniqueid", "none"), ("Variable", variable), ("Value", value)).ConfigureAwait(false);
    }

    private SimulatedAmiReply CommandReply(string command)
    {
        var reply = _commands.TryGetValue(command.Trim(), out var scripted)
            ? (Lines: scripted.Lines, IsError: scripted.IsError)
            : (Lines: (IReadOnlyList<string>)[UnknownCommandText(command)], IsError: true);
        // Asterisk 20: "Command output follows" then one Output header per line, for errors too.
        return new SimulatedAmiReply(reply.IsError ? "Error" : "Success",
            [("Message", "Command output follows"), .. reply.Lines.Select(l => ("Output", l))]);
    }

    private static string UnknownCommandText(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var help = words.Length > 2 ? string.Join(' ', words[..^2]) : words.FirstOrDefault() ?? string.Empty;
        return $"No such command '{command}' (type 'core show help {help}' for other possible commands)";
    }

    private SimulatedAmiReply DbGetReply(SimulatedAmiAction action)
    {
        var family = action["Family"] ?? string.Empty;
        var key = action["Key"] ?? string.Empty;
        if (!Database.TryGetValue($"{family}/{key}", out var val))
            return new SimulatedAmiReply("Error", ("Message", "Database entry not found"));
        var reply = new SimulatedAmiReply("Success", ("EventList", "start"), ("Message", "Result will follow"));
        reply.FollowingEvents.Add([new("Event", "DBGetResponse"), new("Family", family), new("Key", key), new("Val", val)]);
        reply.FollowingEvents.Add([new("Event", "DBGetComplete"), new("EventList", "Complete"), new("ListItems", "1")]);
        return reply;
    }

    private SimulatedAmiReply CoreShowChannelsReply()
    {
        List<IReadOnlyList<KeyValuePair<string, string>>> channels;
        lock (_gate) channels = [.. _channels];
        var reply = new SimulatedAmiReply("Success", ("EventList", "start"), ("Message", "Channels will follow"));
        foreach (var channel in channels) reply.FollowingEvents.Add([new("Event", "CoreShowChannel"), .. channel]);
        reply.FollowingEvents.Add([new("Event", "CoreShowChannelsComplete"), new("EventList", "Complete"),
            new("ListItems", channels.Count.ToString(CultureInfo.InvariantCulture))]);
        return reply;
    }

    private async Task OriginateAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var channel = action["Channel"];
        if (string.IsNullOrEmpty(channel))
        {
            await session.ReplyAsync(action, new SimulatedAmiReply("Error", ("Message", "Channel not specified"))).ConfigureAwait(false);
            return;
        }

        var reason = OriginateReason(action);
        var isAsync = string.Equals(action["Async"], "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(action["Async"], "yes", StringComparison.OrdinalIgnoreCase) || action["Async"] == "1";
        if (!isAsync)
        {
            await session.ReplyAsync(action, reason == 4
                ? new SimulatedAmiReply("Success", ("Message", "Originate successfully queued"))
                : new SimulatedAmiReply("Error", ("Message", "Originate failed"))).ConfigureAwait(false);
            return;
        }

        await session.ReplyAsync(action, new SimulatedAmiReply("Success", ("Message", "Originate successfully queued"))).ConfigureAwait(false);
        var uniqueId = reason == 4 ? NewUniqueId() : "<unknown>";
        var callerId = ParseCallerId(action["CallerID"]);
        List<KeyValuePair<string, string>> headers = [new("Event", "OriginateResponse"), new("Privilege", "call,all")];
        if (action.ActionId is not null) headers.Add(new("ActionID", action.ActionId));
        headers.Add(new("Response", reason == 4 ? "Success" : "Failure"));
        headers.Add(new("Channel", reason == 4 ? channel + "-00000000;1" : channel));
        if (action["Application"] is { } application)
        {
            headers.Add(new("Application", application));
            headers.Add(new("Data", action["Data"] ?? string.Empty));
        }
        else
        {
            headers.Add(new("Context", action["Context"] ?? string.Empty));
            headers.Add(new("Exten", action["Exten"] ?? string.Empty));
        }

        headers.Add(new("Reason", reason.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("Uniqueid", uniqueId));
        headers.Add(new("CallerIDNum", callerId.Number));
        headers.Add(new("CallerIDName", callerId.Name));
        await SendEventAsync(headers).ConfigureAwait(false);
    }

    private static (string Name, string Number) ParseCallerId(string? callerId)
    {
        if (string.IsNullOrEmpty(callerId)) return ("<unknown>", "<unknown>");
        var open = callerId.IndexOf('<', StringComparison.Ordinal);
        var close = callerId.IndexOf('>', StringComparison.Ordinal);
        if (open < 0 || close < open) return ("<unknown>", callerId.Trim());
        return (callerId[..open].Trim().Trim('"'), callerId[(open + 1)..close]);
    }

    private static string Md5Hex(string text)
    {
#pragma warning disable CA5351 // MD5 is what the AMI challenge login defines.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
    }
}
