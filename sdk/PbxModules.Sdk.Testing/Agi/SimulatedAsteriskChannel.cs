using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PbxModules.Sdk.Testing.Agi;

/// <summary>
/// The channel behind a <see cref="SimulatedAgiCall"/>: its variables, state and AstDB, and how Asterisk 20
/// answers each AGI command, as captured in the fixtures (unset variable → <c>200 result=0</c>, unknown
/// command → 510, unknown application → <c>-2</c>, usage errors → multi-line 520, dead channel → 511 for
/// the commands <c>agi show commands</c> marks as not working on a dead channel). Not thread-safe: the
/// call locks it.
/// </summary>
internal sealed partial class SimulatedAsteriskChannel
{
    private const string UsageHeader = "520-Invalid command syntax.  Proper usage follows:";
    private const string UsageFooter = "520 End of proper usage.";

    private readonly SimulatedAgiCallOptions _options;
    private readonly string _channelName;
    private readonly Queue<char> _dtmf;
    private string _callerId;
    private string _callerIdName;

    public SimulatedAsteriskChannel(SimulatedAgiCallOptions options, string channelName)
    {
        _options = options;
        _channelName = channelName;
        _dtmf = new Queue<char>(options.Dtmf);
        _callerId = options.CallerId ?? "unknown";
        _callerIdName = options.CallerIdName ?? "unknown";
        Answered = options.Answered;
        Context = options.Context;
        Extension = options.Extension;
        Priority = options.Priority;
        Variables = new Dictionary<string, string>(options.ChannelVariables, StringComparer.Ordinal);
        Database = new Dictionary<string, string>(options.Database, StringComparer.Ordinal);
        UniqueId = options.UniqueId ?? $"1795389903.{SimulatedAgiCallOptions.NextSequence()}";
    }

    public List<SimulatedAgiCommand> Commands { get; } = [];
    public Dictionary<string, string> Variables { get; }
    public Dictionary<string, string> Database { get; }
    public bool IsDead { get; set; }
    public int? HangupCause { get; private set; }
    public bool Answered { get; private set; }
    public string Context { get; private set; }
    public string Extension { get; private set; }
    public string Priority { get; private set; }
    public string UniqueId { get; }

    public List<KeyValuePair<string, string>> BuildEnvironment(bool network, int port)
    {
        var o = _options;
        var env = new List<KeyValuePair<string, string>>(32);
        void Add(string name, string value) => env.Add(new(name, value));
        if (network)
        {
            Add("agi_network", "yes");
            Add("agi_network_script", o.Script);
            Add("agi_request", $"agi://{o.RequestHost}:{o.RequestPort ?? port}/{o.Script}");
        }
        else
        {
            Add("agi_request", o.ProcessScriptName);
        }
        Add("agi_channel", _channelName);
        Add("agi_language", o.Language);
        Add("agi_type", o.ChannelType);
        Add("agi_uniqueid", UniqueId);
        Add("agi_version", o.AsteriskVersion);
        Add("agi_callerid", _callerId);
        Add("agi_calleridname", _callerIdName);
        // 67 = "number unavailable", what Asterisk reports when there is no caller id.
        Add("agi_callingpres", o.CallerId is null ? "67" : "0");
        Add("agi_callingani2", "0");
        Add("agi_callington", "0");
        Add("agi_callingtns", "0");
        Add("agi_dnid", o.Dnid ?? "unknown");
        Add("agi_rdnis", o.Rdnis ?? "unknown");
        Add("agi_context", o.Context);
        Add("agi_extension", o.Extension);
        Add("agi_priority", o.Priority);
        Add("agi_enhanced", "0.0");
        Add("agi_accountcode", o.AccountCode);
        Add("agi_threadid", "140652026910400");
        var args = network ? o.Arguments : [o.Script, .. o.Arguments];
        for (var i = 0; i < args.Count; i++) Add($"agi_arg_{i + 1}", args[i]);
        return env;
    }

    public SimulatedAgiCommand Describe(string line)
    {
        var words = AgiArgumentParser.Parse(line);
        var spec = Find(words);
        var nameLength = spec?.Words.Length ?? Math.Min(1, words.Count);
        var name = string.Join(' ', words.Take(nameLength)).ToUpperInvariant();
        return new SimulatedAgiCommand(Commands.Count + 1, line, words, name, [.. words.Skip(nameLength)]);
    }

    public SimulatedAgiReply Execute(SimulatedAgiCommand command)
    {
        var spec = Find(command.Words);
        if (spec is null) return SimulatedAgiReply.UnknownCommand;
        if (IsDead && !spec.WorksOnDeadChannel) return SimulatedAgiReply.DeadChannel;
        var n = command.Arguments.Count;
        if (n < spec.MinArguments || n > spec.MaxArguments) return Usage(spec);
        return spec.Run(this, command.Arguments);
    }

    private static SimulatedAgiReply Usage(CommandSpec spec)
        => new($"{UsageHeader}\n{spec.Usage}\n{UsageFooter}");

    private static CommandSpec? Find(IReadOnlyList<string> words)
    {
        CommandSpec? best = null;
        foreach (var spec in Specs)
        {
            if (spec.Words.Length > words.Count || (best is not null && spec.Words.Length <= best.Words.Length)) continue;
            var match = true;
            for (var i = 0; i < spec.Words.Length && match; i++)
                match = string.Equals(spec.Words[i], words[i], StringComparison.OrdinalIgnoreCase);
            if (match) best = spec;
        }
        return best;
    }

    private sealed record CommandSpec(string[] Words, bool WorksOnDeadChannel, int MinArguments, int MaxArguments, string Usage,
        Func<SimulatedAsteriskChannel, IReadOnlyList<string>, SimulatedAgiReply> Run);

    private static CommandSpec Spec(string name, bool dead, int min, int max, string usage,
        Func<SimulatedAsteriskChannel, IReadOnlyList<string>, SimulatedAgiReply> run)
        => new(name.Split(' '), dead, min, max, usage, run);

    private static SimulatedAgiReply Ok(long result) => SimulatedAgiReply.Success(result);

    // Argument counts, dead-channel column and results as res_agi.c in Asterisk 20 has them.
    private static readonly CommandSpec[] Specs =
    [
        Spec("ANSWER", false, 0, 0, "Answers channel if not already in answer state. Returns <literal>-1</literal> on channel failure, or <literal>0</literal> if successful.",
            static (c, _) => { c.Answered = true; return Ok(0); }),
        Spec("ASYNCAGI BREAK", true, 0, 0, "Interrupts expected flow of Async AGI commands and returns control to previous source (typically, the PBX dialplan).",
            static (_, _) => Ok(0)),
        Spec("CHANNEL STATUS", false, 0, 1, "Returns the status of the specified <replaceable>channelname</replaceable>. If no channel name is given then returns the status of the current channel.",
            static (c, a) => a.Count == 1 && a[0] != c._channelName ? Ok(-1) : Ok(c.Answered ? 6 : 4)),
        Spec("DATABASE DEL", true, 2, 2, "Deletes an entry in the Asterisk database for a given <replaceable>family</replaceable> and <replaceable>key</replaceable>.",
            static (c, a) => Ok(c.Database.Remove(a[0] + "/" + a[1]) ? 1 : 0)),
        Spec("DATABASE DELTREE", true, 1, 2, "Deletes a <replaceable>family</replaceable> or specific <replaceable>keytree</replaceable> within a <replaceable>family</replaceable> in the Asterisk database.",
            static (c, a) =>
            {
                var prefix = a.Count == 2 ? $"{a[0]}/{a[1]}" : a[0];
                var keys = c.Database.Keys.Where(k => k == prefix || k.StartsWith(prefix + "/", StringComparison.Ordinal)).ToList();
                foreach (var k in keys) c.Database.Remove(k);
                return Ok(keys.Count > 0 ? 1 : 0);
            }),
        Spec("DATABASE GET", true, 2, 2, "Retrieves an entry in the Asterisk database for a given <replaceable>family</replaceable> and <replaceable>key</replaceable>.",
            static (c, a) => c.Database.TryGetValue(a[0] + "/" + a[1], out var v) ? SimulatedAgiReply.Success(1, v) : Ok(0)),
        Spec("DATABASE PUT", true, 3, 3, "Adds or updates an entry in the Asterisk database for a given <replaceable>family</replaceable>, <replaceable>key</replaceable>, and <replaceable>value</replaceable>.\nReturns <literal>1</literal> if successful, <literal>0</literal> otherwise.",
            static (c, a) => { c.Database[a[0] + "/" + a[1]] = a[2]; return Ok(1); }),
        Spec("EXEC", true, 1, int.MaxValue, "Executes <replaceable>application</replaceable> with given <replaceable>options</replaceable>.",
            static (c, a) => c.Exec(a[0], a.Count > 1 ? a[1] : string.Empty)),
        Spec("GET DATA", false, 1, 3, "Stream the given <replaceable>file</replaceable>, and receive DTMF data.",
            static (c, a) => c.GetData(a.Count > 2 && int.TryParse(a[2], out var max) && max > 0 ? max : 1024)),
        Spec("GET FULL VARIABLE", true, 1, 2, "Evaluates the given <replaceable>expression</replaceable> against the channel specified by <replaceable>channelname</replaceable>, or the current channel if <replaceable>channelname</replaceable> is not provided.\nUnlike GET VARIABLE, the <replaceable>expression</replaceable> is processed in a manner similar to dialplan evaluation, allowing complex and built-in variables to be accessed, e.g. <literal>The time is ${EPOCH}</literal>\nReturns <literal>0</literal> if no channel matching <replaceable>channelname</replaceable> exists, <literal>1</literal> otherwise.\nExample return code: 200 result=1 (The time is 1578493800)",
            static (c, a) => a.Count == 2 && a[1] != c._channelName ? Ok(0) : SimulatedAgiReply.Success(1, c.Substitute(a[0]))),
        Spec("GET OPTION", false, 2, 3, "Behaves similar to STREAM FILE but used with a timeout option.",
            static (c, a) => { var d = c.Press(a[1]); return SimulatedAgiReply.Success(d, extra: d == 0 ? "endpos=8000" : "endpos=4000"); }),
        Spec("GET VARIABLE", true, 1, 1, "Returns <literal>0</literal> if <replaceable>variablename</replaceable> is not set. Returns <literal>1</literal> if <replaceable>variablename</replaceable> is set and returns the variable in parentheses.\nExample return code: 200 result=1 (testvariable)",
            static (c, a) => c.Lookup(a[0]) is { } v ? SimulatedAgiReply.Success(1, v) : Ok(0)),
        Spec("GOSUB", false, 3, 4, "Cause the channel to execute the specified dialplan subroutine, returning to the dialplan with execution of a Return().",
            static (_, _) => new SimulatedAgiReply("200 result=0 Gosub complete")),
        Spec("HANGUP", false, 0, 1, "Hangs up the specified channel. If no channel name is given, hangs up the current channel",
            static (c, a) =>
            {
                if (a.Count == 1 && a[0] != c._channelName) return Ok(-1);
                c.IsDead = true;
                // A soft hang-up that sets no cause: Asterisk's Hangup event says "Cause: 0" (Unknown; SIP 603).
                c.HangupCause ??= 0;
                return Ok(1);
            }),
        Spec("NOOP", true, 0, int.MaxValue, "Does nothing.", static (_, _) => Ok(0)),
        Spec("RECEIVE CHAR", false, 1, 1, "Receives a character of text on a channel.", static (_, _) => Ok(0)),
        Spec("RECEIVE TEXT", false, 1, 1, "Receives a string of text on a channel.", static (_, _) => Ok(-1)),
        Spec("RECORD FILE", false, 4, 7, "Record to a file until a given dtmf digit in the sequence is received.",
            static (c, a) =>
            {
                var d = c.Press(a[2]);
                return d == 0 ? SimulatedAgiReply.Success(0, "timeout", "endpos=16000") : SimulatedAgiReply.Success(d, "dtmf", "endpos=8000");
            }),
        Spec("SAY ALPHA", false, 2, 2, "Say a given character string, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SAY DATE", false, 2, 2, "Say a given date, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SAY DATETIME", false, 2, 4, "Say a given time, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SAY DIGITS", false, 2, 2, "Say a given digit string, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SAY NUMBER", false, 2, 3, "Say a given number, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SAY PHONETIC", false, 2, 2, "Say a given character string with phonetics, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SAY TIME", false, 2, 2, "Say a given time, returning early if any of the given DTMF digits are received on the channel.", static (c, a) => Ok(c.Press(a[1]))),
        Spec("SEND IMAGE", false, 1, 1, "Sends the given image on a channel.", static (_, _) => Ok(0)),
        Spec("SEND TEXT", false, 1, 1, "Sends the given text on a channel.", static (_, _) => Ok(0)),
        Spec("SET AUTOHANGUP", false, 1, 1, "Cause the channel to automatically hangup at <replaceable>time</replaceable> seconds in the future.", static (_, _) => Ok(0)),
        Spec("SET CALLERID", false, 1, 1, "Changes the callerid of the current channel.",
            static (c, a) => { c.SetCallerId(a[0]); return Ok(1); }),
        Spec("SET CONTEXT", false, 1, 1, "Sets the context for continuation upon exiting the application.",
            static (c, a) => { c.Context = a[0]; return Ok(0); }),
        Spec("SET EXTENSION", false, 1, 1, "Changes the extension for continuation upon exiting the application.",
            static (c, a) => { c.Extension = a[0]; return Ok(0); }),
        Spec("SET MUSIC", false, 1, 2, "Enables/Disables the music on hold generator.", static (_, _) => Ok(0)),
        Spec("SET PRIORITY", false, 1, 1, "Changes the priority for continuation upon exiting the application.",
            static (c, a) => { c.Priority = a[0]; return Ok(0); }),
        Spec("SET VARIABLE", true, 2, 2, "Sets a variable to the current channel.",
            static (c, a) => { c.Variables[a[0]] = a[1]; return Ok(1); }),
        Spec("STREAM FILE", false, 2, 3, "Send the given file, allowing playback to be interrupted by the given digits, if any.",
            static (c, a) => c.Play(a[0], a[1])),
        Spec("CONTROL STREAM FILE", false, 2, 7, "Send the given file, allowing playback to be controlled by the given digits, if any.",
            static (c, a) => c.Play(a[0], a[1])),
        Spec("TDD MODE", false, 1, 1, "Enable/Disable TDD transmission/reception on a channel.", static (_, _) => Ok(1)),
        Spec("VERBOSE", true, 1, 2, "Sends <replaceable>message</replaceable> to the console via verbose message system.", static (_, _) => Ok(1)),
        Spec("WAIT FOR DIGIT", false, 1, 1, "Waits up to <replaceable>timeout</replaceable> milliseconds for channel to receive a DTMF digit.",
            static (c, _) => Ok(c.Press("0123456789*#ABCD"))),
        Spec("SPEECH CREATE", false, 1, 1, "Create a speech object to be used by the other Speech AGI commands.", static (_, _) => Ok(1)),
        Spec("SPEECH SET", false, 2, 2, "Set an engine-specific setting.", static (_, _) => Ok(1)),
        Spec("SPEECH DESTROY", true, 0, 0, "Destroy the speech object created by SPEECH CREATE.", static (_, _) => Ok(1)),
        Spec("SPEECH LOAD GRAMMAR", false, 2, 2, "Loads the specified grammar as the specified name.", static (_, _) => Ok(1)),
        Spec("SPEECH UNLOAD GRAMMAR", true, 1, 1, "Unloads the specified grammar.", static (_, _) => Ok(1)),
        Spec("SPEECH ACTIVATE GRAMMAR", false, 1, 1, "Activates the specified grammar on the speech object.", static (_, _) => Ok(1)),
        Spec("SPEECH DEACTIVATE GRAMMAR", false, 1, 1, "Deactivates the specified grammar on the speech object.", static (_, _) => Ok(1)),
        Spec("SPEECH RECOGNIZE", false, 2, 3, "Plays back given <replaceable>prompt</replaceable> while listening for speech and dtmf.", static (_, _) => new SimulatedAgiReply("200 result=1 (timeout)")),
    ];

    // The caller presses the next queued key if it is one the command listens for; 0 means none (time-out or end of playback).
    private int Press(string escapeDigits)
    {
        if (_dtmf.Count == 0 || escapeDigits.IndexOf(_dtmf.Peek(), StringComparison.Ordinal) < 0) return 0;
        return _dtmf.Dequeue();
    }

    // A sound that is not installed: "File … does not exist in any format", -1 at once, the channel stays up (fixture fastagi_missing_sound).
    private SimulatedAgiReply Play(string file, string escapeDigits)
    {
        if (_options.Sounds is { } installed && !installed.Contains(file)) return SimulatedAgiReply.Success(-1, extra: "endpos=0");
        var d = Press(escapeDigits);
        return SimulatedAgiReply.Success(d, extra: d == 0 ? "endpos=8000" : "endpos=4000");
    }

    private SimulatedAgiReply GetData(int max)
    {
        var digits = new StringBuilder();
        while (digits.Length < max && _dtmf.Count > 0)
        {
            var d = _dtmf.Dequeue();
            if (d == '#') return new SimulatedAgiReply($"200 result={digits}");
            digits.Append(d);
        }
        return digits.Length == max ? new SimulatedAgiReply($"200 result={digits}") : new SimulatedAgiReply($"200 result={digits} (timeout)");
    }

    private SimulatedAgiReply Exec(string application, string arguments)
    {
        if (!_options.Applications.Contains(application)) return Ok(-2);
        if (application.Equals("Set", StringComparison.OrdinalIgnoreCase))
        {
            var eq = arguments.IndexOf('=');
            if (eq > 0) Variables[arguments[..eq]] = arguments[(eq + 1)..];
        }
        else if (application.Equals("Hangup", StringComparison.OrdinalIgnoreCase)
            || application.Equals("Busy", StringComparison.OrdinalIgnoreCase)
            || application.Equals("Congestion", StringComparison.OrdinalIgnoreCase))
        {
            // These end the call: -1, then the unsolicited HANGUP (fixture fastagi_busy_then_hangup:
            // "EXEC Busy 10" → "200 result=-1", "HANGUP"; a HANGUP command after it gets 511).
            IsDead = true;
            HangupCause = application.ToUpperInvariant() switch
            {
                "BUSY" => 17,
                "CONGESTION" => 34,
                _ => int.TryParse(arguments, NumberStyles.Integer, CultureInfo.InvariantCulture, out var cause) && cause > 0 ? cause : 16,
            };
            return Ok(-1);
        }
        else if (application.Equals("Answer", StringComparison.OrdinalIgnoreCase))
        {
            Answered = true;
        }
        return Ok(0);
    }

    private string? Lookup(string name)
    {
        switch (name.ToUpperInvariant())
        {
            // On a dead channel functions evaluate to nothing (fixture fastagi_idle_hangup: "200 result=1 ()").
            case var f when IsDead && f.Contains('(', StringComparison.Ordinal): return string.Empty;
            case "CALLERID(NUM)": return _callerId == "unknown" ? string.Empty : _callerId;
            case "CALLERID(NAME)": return _callerIdName == "unknown" ? string.Empty : _callerIdName;
            case "CALLERID(ALL)": return $"\"{_callerIdName}\" <{_callerId}>";
            case "CHANNEL": return _channelName;
            case "UNIQUEID": return UniqueId;
            case "CONTEXT": return Context;
            case "EXTEN": return Extension;
            case "PRIORITY": return Priority;
            case "CHANNEL(LANGUAGE)": return _options.Language;
        }
        return Variables.TryGetValue(name, out var v) ? v : null;
    }

    private string Substitute(string expression)
        => VariableReference().Replace(expression, m => Lookup(m.Groups[1].Value) ?? string.Empty);

    private void SetCallerId(string value)
    {
        var m = CallerIdPattern().Match(value);
        if (m.Success)
        {
            _callerIdName = m.Groups[1].Value;
            _callerId = m.Groups[2].Value;
        }
        else
        {
            _callerId = value;
        }
    }

    [GeneratedRegex(@"\$\{([^{}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\s*""?([^""<]*?)""?\s*<([^>]*)>\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CallerIdPattern();
}
