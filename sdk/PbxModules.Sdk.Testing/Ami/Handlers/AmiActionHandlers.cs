using System.Collections.Concurrent;
using System.Globalization;

namespace PbxModules.Sdk.Testing.Ami.Handlers;

/// <summary>
/// How the <see cref="SimulatedAmiServer"/> answers each action, as a table from action name to handler
/// (one partial file per family: login, core and CLI, variables and AstDB, channels). Replies are those
/// of a captured Asterisk 20 (<c>tests/fixtures/ami_*</c>); a test's scripted handler replaces a built-in one.
/// </summary>
internal sealed partial class AmiActionHandlers
{
    private static readonly HashSet<string> AllowedBeforeLogin = new(StringComparer.OrdinalIgnoreCase) { "Login", "Challenge", "Logoff" };

    private readonly SimulatedAmiServer _server;
    private readonly SimulatedPbx _pbx;
    private readonly Dictionary<string, Func<SimulatedAmiSession, SimulatedAmiAction, Task>> _builtIn;
    private readonly ConcurrentDictionary<string, Func<SimulatedAmiAction, SimulatedAmiReply>> _scripted = new(StringComparer.OrdinalIgnoreCase);

    public AmiActionHandlers(SimulatedAmiServer server, SimulatedPbx pbx)
    {
        _server = server;
        _pbx = pbx;
        _builtIn = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Challenge"] = ChallengeAsync,
            ["Login"] = LoginAsync,
            ["Logoff"] = LogoffAsync,
            ["Ping"] = PingAsync,
            ["Events"] = EventsAsync,
            ["Command"] = CommandAsync,
            ["CoreStatus"] = CoreStatusAsync,
            ["CoreSettings"] = CoreSettingsAsync,
            ["Setvar"] = SetvarAsync,
            ["Getvar"] = GetvarAsync,
            ["DBPut"] = DbPutAsync,
            ["DBGet"] = DbGetAsync,
            ["CoreShowChannels"] = CoreShowChannelsAsync,
            ["Originate"] = OriginateAsync,
            ["Hangup"] = HangupAsync,
            ["Redirect"] = RedirectAsync,
            ["QueueAdd"] = QueueAddAsync,
            ["UserEvent"] = UserEventAsync,
        };
    }

    /// <summary>Replaces the built-in behaviour of an action (or adds one) with a scripted reply.</summary>
    public void SetScripted(string action, Func<SimulatedAmiAction, SimulatedAmiReply> handler) => _scripted[action] = handler;

    public async Task HandleAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        if (_server.Unresponsive || session.Hung) return;
        if (!session.LoggedIn && !AllowedBeforeLogin.Contains(action.Name))
        {
            await Reply(session, action, "Error", ("Message", "Permission denied")).ConfigureAwait(false);
            return;
        }

        if (_scripted.TryGetValue(action.Name, out var scripted))
        {
            await session.ReplyAsync(action, scripted(action)).ConfigureAwait(false);
            return;
        }

        var handler = _builtIn.GetValueOrDefault(action.Name) ?? UnknownAsync;
        await handler(session, action).ConfigureAwait(false);
    }

    private static Task Reply(SimulatedAmiSession session, SimulatedAmiAction action, string response, params (string Name, string Value)[] headers)
        => session.ReplyAsync(action, new SimulatedAmiReply(response, headers));

    private static Task UnknownAsync(SimulatedAmiSession session, SimulatedAmiAction action)
        => Reply(session, action, "Error", ("Message", $"Invalid/unknown command: {action.Name}. Use Action: ListCommands to show available commands."));

    private static Task LogoffAsync(SimulatedAmiSession session, SimulatedAmiAction action)
        => session.ReplyAsync(action, new SimulatedAmiReply("Goodbye", ("Message", "Thanks for all the fish.")) { CloseAfter = true });

    private static Task PingAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var now = DateTimeOffset.UtcNow;
        var timestamp = (now.ToUnixTimeMilliseconds() / 1000.0).ToString("F6", CultureInfo.InvariantCulture);
        return Reply(session, action, "Success", ("Ping", "Pong"), ("Timestamp", timestamp));
    }

    private static Task EventsAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var mask = action["EventMask"] ?? "on";
        session.EventsOn = !string.Equals(mask, "off", StringComparison.OrdinalIgnoreCase);
        return Reply(session, action, "Success", ("Events", session.EventsOn ? "On" : "Off"));
    }

    private async Task UserEventAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        await Reply(session, action, "Success", ("Message", "Event Sent")).ConfigureAwait(false);
        List<KeyValuePair<string, string>> userEvent = [new("Event", "UserEvent"), new("Privilege", "user,all")];
        userEvent.AddRange(action.Headers.Where(h => !string.Equals(h.Key, "Action", StringComparison.OrdinalIgnoreCase)));
        await _server.SendEventAsync(userEvent).ConfigureAwait(false);
    }
}
