using System.Runtime.InteropServices;
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

    // Value: the shared string, and whether that header's values are worth sharing too (one lookup for both).
    private readonly Dictionary<string, (string Text, bool InternValues)> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Text, bool InternValues)>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    // The previous value of each header name (keyed by the shared name string, so by reference in practice).
    private readonly Dictionary<string, string> _lastValues = new(StringComparer.Ordinal);

    public AmiHeaderNameCache()
    {
        foreach (var name in s_knownNames) _strings[name] = (name, s_internedValueNames.Contains(name));
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The string for these UTF-8 bytes, shared when it is short and seen before.</summary>
    public string GetString(ReadOnlySpan<byte> utf8) => Get(utf8).Text;

    /// <summary>The header name for these bytes, and whether its values should go through <see cref="GetString"/>.</summary>
    public (string Text, bool InternValues) GetName(ReadOnlySpan<byte> utf8) => Get(utf8);

    /// <summary>
    /// The value of a header whose values are not shared: the same string as that header's previous value
    /// when the bytes are equal, else a new one (remembered for next time). Consecutive events of one call
    /// repeat <c>Channel</c>, <c>Uniqueid</c>, <c>Linkedid</c>… so most of them cost no string, while a value
    /// that changes costs one compare; one slot per header name keeps this bounded like the names.
    /// </summary>
    public string GetRepeatedValue(string name, ReadOnlySpan<byte> utf8)
    {
        ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastValues, name, out var exists);
        if (exists && last!.Length == utf8.Length && System.Text.Ascii.Equals(utf8, last)) return last;
        var value = Encoding.UTF8.GetString(utf8);
        if (exists || _lastValues.Count <= MaxEntries) last = value;
        else _lastValues.Remove(name);
        return value;
    }

    private (string Text, bool InternValues) Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return (string.Empty, false);
        if (utf8.Length > MaxCachedLength) return (Encoding.UTF8.GetString(utf8), false);

        Span<char> chars = stackalloc char[MaxCachedLength];
        // Only ASCII goes through the cache (vectorised widening); anything else decodes normally.
        if (System.Text.Ascii.ToUtf16(utf8, chars, out var count) != System.Buffers.OperationStatus.Done)
            return (Encoding.UTF8.GetString(utf8), false);

        var span = chars[..count];
        if (_lookup.TryGetValue(span, out var cached)) return cached;
        var created = new string(span);
        var entry = (created, s_internedValueNames.Contains(created));
        if (_strings.Count < MaxEntries) _strings[created] = entry;
        return entry;
    }
}
