using System.Text;

namespace PbxModules.Asterisk.Ami.Protocol;

/// <summary>
/// Turns header names (and the values of a few low-cardinality headers) into shared strings, so a
/// parsed frame allocates only the strings that are really new. One cache per parser, i.e. per
/// connection, so it needs no locking; it is bounded so a hostile peer cannot grow it forever.
/// </summary>
internal sealed class AmiHeaderNameCache
{
    private const int MaxEntries = 2048;
    private const int MaxCachedLength = 48;

    // Names Asterisk 20 sends all the time (seen in the fixtures), in their wire casing.
    private static readonly string[] s_knownNames =
    [
        "Event", "Response", "ActionID", "Message", "Privilege", "Channel", "ChannelState", "ChannelStateDesc",
        "CallerIDNum", "CallerIDName", "ConnectedLineNum", "ConnectedLineName", "Language", "AccountCode",
        "Context", "Exten", "Priority", "Uniqueid", "Linkedid", "Extension", "Application", "AppData",
        "Variable", "Value", "EventList", "ListItems", "Output", "Cause", "Cause-txt", "Device", "State",
        "Status", "Uptime", "LastReload", "EventTV", "Severity", "Service", "EventVersion", "AccountID",
        "SessionID", "LocalAddress", "RemoteAddress", "UsingPassword", "SessionTV", "Ping", "Timestamp",
        "BridgeId", "BridgeUniqueid", "BridgeType", "BridgeTechnology", "BridgeCreator", "BridgeName",
        "BridgeNumChannels", "BridgeVideoSourceMode", "DestChannel", "DestUniqueid", "DialStatus", "Duration",
        "ApplicationData", "Reason", "Data", "Queue", "Interface", "MemberName", "Family", "Key", "Val",
        "UserEvent", "Challenge", "Events", "Digit", "Direction", "DurationMs", "Hint", "Source", "Type",
    ];

    // Headers whose values repeat endlessly (states, privileges, languages): worth sharing.
    private static readonly HashSet<string> s_internedValueNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Event", "Response", "Privilege", "ChannelState", "ChannelStateDesc", "Language", "AccountCode",
        "Context", "Priority", "EventList", "Severity", "Service", "EventVersion", "Cause", "Cause-txt",
        "State", "Status", "CallerIDNum", "CallerIDName", "ConnectedLineNum", "ConnectedLineName", "Application",
        "Exten", "Extension", "Direction", "Source", "Type", "BridgeType", "BridgeTechnology", "Message",
    };

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public AmiHeaderNameCache()
    {
        foreach (var name in s_knownNames) _strings[name] = name;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>True when values of this header are worth sharing.</summary>
    public static bool ShouldInternValue(string name) => s_internedValueNames.Contains(name);

    /// <summary>The string for these UTF-8 bytes, shared when it is short and seen before.</summary>
    public string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        if (utf8.Length > MaxCachedLength) return Encoding.UTF8.GetString(utf8);

        Span<char> chars = stackalloc char[MaxCachedLength];
        var count = 0;
        foreach (var b in utf8)
        {
            // Only ASCII goes through the cache; anything else decodes normally (and stays correct).
            if (b >= 0x80) return Encoding.UTF8.GetString(utf8);
            chars[count++] = (char)b;
        }

        var span = chars[..count];
        if (_lookup.TryGetValue(span, out var cached)) return cached;
        var created = new string(span);
        if (_strings.Count < MaxEntries) _strings[created] = created;
        return created;
    }
}
