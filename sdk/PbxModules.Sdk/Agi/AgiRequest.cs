using System.Collections.ObjectModel;

namespace PbxModules.Sdk.Agi;

/// <summary>
/// The environment Asterisk sends when an AGI session starts: every <c>agi_*</c> variable, plus the
/// route (<see cref="Path"/>), query string (<see cref="Query"/>) and arguments parsed from it.
/// </summary>
public sealed class AgiRequest
{
    private readonly Dictionary<string, string> _variables;

    /// <summary>Builds a request from the environment lines, keyed by name with the <c>agi_</c> prefix (e.g. <c>agi_callerid</c>).</summary>
    public AgiRequest(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        // Last value wins on a repeated name, so a peer that repeats a line cannot make this throw. A plain
        // dictionary, not a frozen one: a request lives for one call, and freezing costs more than the
        // few lookups a handler makes (see AgiParsingBenchmarks).
        _variables = new Dictionary<string, string>(32, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in variables) _variables[name] = value;
        Variables = new ReadOnlyDictionary<string, string>(_variables);

        var args = new List<string>();
        for (var i = 1; _variables.TryGetValue("agi_arg_" + i, out var arg); i++) args.Add(arg);

        // A FastAGI request carries the route in agi_network_script ("module/handler?k=v"). A process
        // AGI started through the pbx-agi bridge (AGI(pbx-agi,module/handler,a,b)) carries it in its first
        // argument instead; that argument is the route, not data, so it is removed from Arguments and a
        // handler sees the same arguments whichever way the call arrived.
        var script = Get("agi_network_script");
        if (string.IsNullOrEmpty(script) && !IsNetwork && args.Count > 0)
        {
            script = args[0];
            args.RemoveAt(0);
        }
        Arguments = args;
        Script = script ?? string.Empty;
        var q = Script.IndexOf('?');
        Path = (q < 0 ? Script : Script[..q]).Trim('/');
        Query = ParseQuery(q < 0 ? string.Empty : Script[(q + 1)..]);
    }

    /// <summary>All variables as sent, keyed by their full name (<c>agi_callerid</c>), case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>Returns a variable by full name (<c>agi_context</c>) or null when Asterisk did not send it.</summary>
    public string? Get(string name) => _variables.TryGetValue(name, out var v) ? v : null;

    /// <summary>The route as sent, query string included: <c>module-black-list/check?mode=strict</c>.</summary>
    public string Script { get; }

    /// <summary>The route without query string or surrounding slashes: <c>module-black-list/check</c>.</summary>
    public string Path { get; }

    /// <summary>The query string's parameters, URL-decoded. Repeated keys keep the last value.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>
    /// The dialplan arguments <c>agi_arg_1..N</c>, in order; empty arguments are kept. For a process AGI
    /// reached through the <c>pbx-agi</c> bridge the first argument is the route and is not included.
    /// </summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>True for a FastAGI (network) request.</summary>
    public bool IsNetwork => string.Equals(Get("agi_network"), "yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>The channel name, e.g. <c>PJSIP/100-00000001</c>.</summary>
    public string Channel => Get("agi_channel") ?? string.Empty;

    /// <summary>The call's unique id.</summary>
    public string UniqueId => Get("agi_uniqueid") ?? string.Empty;

    /// <summary>The caller id number; the literal <c>unknown</c> when the caller withheld it.</summary>
    public string CallerId => Get("agi_callerid") ?? string.Empty;

    /// <summary>The caller id name; <c>unknown</c> when absent.</summary>
    public string CallerIdName => Get("agi_calleridname") ?? string.Empty;

    /// <summary>The dialled number identification (<c>unknown</c> when absent).</summary>
    public string Dnid => Get("agi_dnid") ?? string.Empty;

    /// <summary>The dialplan context that ran AGI.</summary>
    public string Context => Get("agi_context") ?? string.Empty;

    /// <summary>The dialplan extension that ran AGI.</summary>
    public string Extension => Get("agi_extension") ?? string.Empty;

    /// <summary>The dialplan priority that ran AGI.</summary>
    public string Priority => Get("agi_priority") ?? string.Empty;

    /// <summary>The channel's language, e.g. <c>en</c>.</summary>
    public string Language => Get("agi_language") ?? string.Empty;

    /// <summary>The Asterisk version that sent the request.</summary>
    public string AsteriskVersion => Get("agi_version") ?? string.Empty;

    private static readonly IReadOnlyDictionary<string, string> NoQuery = ReadOnlyDictionary<string, string>.Empty;

    private static IReadOnlyDictionary<string, string> ParseQuery(string query)
    {
        if (query.Length == 0) return NoQuery;
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            result[Uri.UnescapeDataString(key.Replace('+', ' '))] = Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        return new ReadOnlyDictionary<string, string>(result);
    }
}
