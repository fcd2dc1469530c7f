using System.Collections.Concurrent;
using System.Globalization;

namespace PbxModules.Sdk.Testing.Ami;

/// <summary>
/// The state of the PBX behind a <see cref="SimulatedAmiServer"/>: live channels, global variables, the
/// AstDB, what CLI commands print, and the unique ids it hands out. The action handlers read and change it.
/// </summary>
internal sealed class SimulatedPbx
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<KeyValuePair<string, string>>> _channels = [];
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Lines, bool IsError)> _commands = new(StringComparer.OrdinalIgnoreCase);
    private int _uniqueIdCounter;

    public SimulatedPbx(string asteriskVersion)
    {
        SetCommand("core show version", [$"Asterisk {asteriskVersion} built by root @ vm on a x86_64 running Linux on 2026-11-22 23:19:02 UTC"], isError: false);
        SetCommand("dialplan reload", ["Dialplan reloaded."], isError: false);
    }

    /// <summary>When the PBX "started" (the epoch of its unique ids, its uptime, <c>CoreStatus</c>).</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public ConcurrentDictionary<string, string> GlobalVariables { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Database { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> ChannelNames
    {
        get { lock (_gate) return [.. _channels.Select(c => c[0].Value)]; }
    }

    /// <summary>Every live channel's headers, <c>Channel</c> first (a snapshot).</summary>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> ChannelHeaders
    {
        get { lock (_gate) return [.. _channels]; }
    }

    public void SetCommand(string command, IReadOnlyList<string> outputLines, bool isError) => _commands[command] = (outputLines, isError);

    /// <summary>What a CLI command prints and whether it is an error; Asterisk's "No such command" for an unknown one.</summary>
    public (IReadOnlyList<string> Lines, bool IsError) RunCommand(string command)
        => _commands.TryGetValue(command.Trim(), out var scripted) ? scripted : ([UnknownCommandText(command)], true);

    public void AddChannel(string channel, (string Name, string Value)[] headers)
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

    public bool RemoveChannel(string channel)
    {
        lock (_gate) return _channels.RemoveAll(c => c[0].Value == channel) > 0;
    }

    /// <summary>An Asterisk-style unique id: the start time in seconds, a dot, a counter from 0.</summary>
    public string NewUniqueId()
        => string.Create(CultureInfo.InvariantCulture, $"{StartedAt.ToUnixTimeSeconds()}.{Interlocked.Increment(ref _uniqueIdCounter) - 1}");

    private static string UnknownCommandText(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var help = words.Length > 2 ? string.Join(' ', words[..^2]) : words.FirstOrDefault() ?? string.Empty;
        return $"No such command '{command}' (type 'core show help {help}' for other possible commands)";
    }
}
