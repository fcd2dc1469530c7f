using System.Collections.Frozen;
using System.Text;
using PbxModules.Sdk.Agi;

namespace PbxModules.Asterisk.Agi.Parsing;

/// <summary>
/// Reads the <c>agi_name: value</c> lines Asterisk sends when a session starts, up to the empty line.
/// Names Asterisk always sends (and common values) come from a table instead of a new string per line.
/// </summary>
internal sealed class AgiEnvironmentParser
{
    private static readonly FrozenDictionary<string, string> KnownNames = BuildKnownNames();
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownNameLookup =
        KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, string> KnownValues =
        new[] { "yes", "no", "0", "1", "2", "en", "unknown", "Local", "SIP", "PJSIP", "IAX2", "DAHDI", "0.0" }
            .ToFrozenDictionary(v => v, v => v, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownValueLookup =
        KnownValues.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly List<KeyValuePair<string, string>> _variables = new(32);
    private readonly int _maxVariables;

    /// <summary>Creates a parser that refuses more than <paramref name="maxVariables"/> lines.</summary>
    public AgiEnvironmentParser(int maxVariables) => _maxVariables = maxVariables;

    /// <summary>True once the empty line that ends the environment has been read.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The variables read so far, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables => _variables;

    /// <summary>Consumes one line; returns true when it was the empty line that ends the block.</summary>
    /// <exception cref="AgiProtocolException">The line is not an <c>agi_*</c> variable, or there are too many.</exception>
    public bool ParseLine(ReadOnlySpan<byte> line)
    {
        if (IsComplete) throw new InvalidOperationException("The AGI environment is already complete.");
        if (line.IsEmpty)
        {
            IsComplete = true;
            return true;
        }
        var colon = line.IndexOf((byte)':');
        if (colon <= 4 || !line.StartsWith("agi_"u8))
            throw new AgiProtocolException($"expected an 'agi_name: value' line, got '{Excerpt(line)}'");
        var name = line[..colon];
        foreach (var b in name)
        {
            if (b <= (byte)' ' || b >= 0x7F)
                throw new AgiProtocolException($"invalid AGI variable name '{Excerpt(name)}'");
        }
        if (_variables.Count >= _maxVariables)
            throw new AgiProtocolException($"more than {_maxVariables} AGI variables (FastAgiOptions.MaxEnvironmentVariables)");

        var value = line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ') value = value[1..];
        _variables.Add(new KeyValuePair<string, string>(Name(name), Value(value)));
        return false;
    }

    /// <summary>Builds the request from the complete environment.</summary>
    public AgiRequest ToRequest()
    {
        if (!IsComplete) throw new InvalidOperationException("The AGI environment is not complete.");
        return new AgiRequest(_variables);
    }

    /// <summary>Forgets everything read, to parse another session (benchmarks reuse one parser).</summary>
    public void Reset()
    {
        _variables.Clear();
        IsComplete = false;
    }

    internal static string Excerpt(ReadOnlySpan<byte> bytes)
    {
        var s = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 60)]);
        var sb = new StringBuilder(s.Length + 3);
        foreach (var c in s) sb.Append(char.IsControl(c) ? '?' : c);
        if (bytes.Length > 60) sb.Append("...");
        return sb.ToString();
    }

    private static string Name(ReadOnlySpan<byte> ascii)
    {
        // Names are checked ASCII above, so a byte is a char.
        Span<char> chars = stackalloc char[ascii.Length <= 64 ? ascii.Length : 0];
        if (chars.Length == ascii.Length)
        {
            for (var i = 0; i < ascii.Length; i++) chars[i] = (char)ascii[i];
            if (KnownNameLookup.TryGetValue(chars, out var known)) return known;
        }
        return Encoding.ASCII.GetString(ascii);
    }

    private static string Value(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        if (utf8.Length <= 8)
        {
            Span<char> chars = stackalloc char[8];
            var n = 0;
            foreach (var b in utf8)
            {
                if (b >= 0x80) { n = -1; break; }
                chars[n++] = (char)b;
            }
            if (n > 0 && KnownValueLookup.TryGetValue(chars[..n], out var known)) return known;
        }
        return Encoding.UTF8.GetString(utf8);
    }

    private static FrozenDictionary<string, string> BuildKnownNames()
    {
        var names = new List<string>
        {
            "agi_network", "agi_network_script", "agi_request", "agi_channel", "agi_language", "agi_type",
            "agi_uniqueid", "agi_version", "agi_callerid", "agi_calleridname", "agi_callingpres",
            "agi_callingani2", "agi_callington", "agi_callingtns", "agi_dnid", "agi_rdnis", "agi_context",
            "agi_extension", "agi_priority", "agi_enhanced", "agi_accountcode", "agi_threadid",
        };
        for (var i = 1; i <= 32; i++) names.Add("agi_arg_" + i);
        return names.ToFrozenDictionary(n => n, n => n, StringComparer.Ordinal);
    }
}
