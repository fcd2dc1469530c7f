namespace PbxModules.Sdk.Testing.Agi;

/// <summary>
/// Describes the call a <see cref="SimulatedAgiCall"/> places and how its simulated Asterisk answers.
/// The defaults reproduce the fixture calls captured from Asterisk 20 (<c>Local/100@from-test</c>).
/// </summary>
public sealed class SimulatedAgiCallOptions
{
    private static int s_sequence;

    /// <summary>
    /// The route: for FastAGI the URL path after <c>host:port/</c>, query included
    /// (<c>module-black-list/check?mode=strict</c>), sent as <c>agi_network_script</c>; for a process AGI
    /// through <c>pbx-agi</c>, the first AGI argument.
    /// </summary>
    public string Script { get; set; } = "module-black-list/check";

    /// <summary>The dialplan arguments after the route, sent as <c>agi_arg_1..N</c> (empty ones included).</summary>
    public IList<string> Arguments { get; set; } = [];

    /// <summary>The caller id number; null sends <c>unknown</c>, as Asterisk does for a withheld number.</summary>
    public string? CallerId { get; set; }

    /// <summary>The caller id name; null sends <c>unknown</c>.</summary>
    public string? CallerIdName { get; set; }

    /// <summary>The extension that ran AGI.</summary>
    public string Extension { get; set; } = "100";

    /// <summary>The context that ran AGI.</summary>
    public string Context { get; set; } = "from-test";

    /// <summary>The priority that ran AGI.</summary>
    public string Priority { get; set; } = "2";

    /// <summary>The channel name; null makes one like <c>Local/100@from-test-0000002a;2</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>The call's unique id; null makes one.</summary>
    public string? UniqueId { get; set; }

    /// <summary>The dialled number (<c>agi_dnid</c>); null sends <c>unknown</c>.</summary>
    public string? Dnid { get; set; }

    /// <summary>The redirecting number (<c>agi_rdnis</c>); null sends <c>unknown</c>.</summary>
    public string? Rdnis { get; set; }

    /// <summary>The channel language.</summary>
    public string Language { get; set; } = "en";

    /// <summary>The channel technology (<c>agi_type</c>).</summary>
    public string ChannelType { get; set; } = "Local";

    /// <summary>The account code (empty by default, sent as <c>agi_accountcode: </c>).</summary>
    public string AccountCode { get; set; } = string.Empty;

    /// <summary>The Asterisk version reported.</summary>
    public string AsteriskVersion { get; set; } = "20.20.1";

    /// <summary>The host name Asterisk dialled, used in <c>agi_request</c> (<c>agi://host:port/script</c>).</summary>
    public string RequestHost { get; set; } = "127.0.0.1";

    /// <summary>The port written in <c>agi_request</c>; null uses the port actually dialled.</summary>
    public int? RequestPort { get; set; }

    /// <summary>For a process AGI: the script name given to <c>AGI()</c>, sent as <c>agi_request</c>.</summary>
    public string ProcessScriptName { get; set; } = "pbx-agi";

    /// <summary>Whether the channel is already answered (<c>CHANNEL STATUS</c> 6) or still ringing (4) when AGI starts.</summary>
    public bool Answered { get; set; }

    /// <summary>Channel variables set before the AGI ran (readable with <c>GET VARIABLE</c>).</summary>
    public IDictionary<string, string> ChannelVariables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>AstDB entries present before the call, keyed <c>family/key</c>.</summary>
    public IDictionary<string, string> Database { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The keys the caller presses, in order (<c>"12#"</c>). Playback, say, wait-for-digit, get-data and
    /// record commands consume them as a real caller's presses would; with none left they time out.
    /// </summary>
    public string Dtmf { get; set; } = string.Empty;

    /// <summary>The dialplan applications <c>EXEC</c> knows (case-insensitive); any other answers <c>200 result=-2</c>.</summary>
    public ISet<string> Applications { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Answer", "Background", "Busy", "Congestion", "Dial", "Echo", "Gosub", "Goto", "GotoIf", "Hangup", "Log",
        "MusicOnHold", "NoOp", "Playback", "Playtones", "Progress", "Read", "Ringing", "SayDigits", "SayNumber",
        "Set", "Transfer", "UserEvent", "Verbose", "Wait", "WaitExten",
    };

    /// <summary>
    /// The sounds installed on this Asterisk (names as given to <c>STREAM FILE</c>, e.g. <c>custom/blocked</c>,
    /// case-sensitive). Null (the default): every sound exists. Otherwise playing any other sound answers
    /// <c>200 result=-1 endpos=0</c> and the channel stays up, as Asterisk 20 does (fixture
    /// <c>fastagi_missing_sound</c>; the fixture's peer had no sounds at all: an empty set).
    /// </summary>
    public ISet<string>? Sounds { get; set; }

    /// <summary>
    /// Replies that replace the default behaviour, keyed by command name (<c>STREAM FILE</c>, case-insensitive;
    /// for commands Asterisk does not know, their first word). Return null to fall back to the default.
    /// </summary>
    public IDictionary<string, Func<SimulatedAgiCommand, SimulatedAgiReply?>> Replies { get; } =
        new Dictionary<string, Func<SimulatedAgiCommand, SimulatedAgiReply?>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Hang up while answering the command with this sequence number (1 for the first command), the
    /// way <see cref="HangUpMode"/> says. Null (the default) never hangs up on its own.
    /// </summary>
    public int? HangUpOnCommand { get; set; }

    /// <summary>How the hang-up of <see cref="HangUpOnCommand"/> happens.</summary>
    public SimulatedHangup HangUpMode { get; set; } = SimulatedHangup.BeforeReply;

    /// <summary>Sets a fixed reply for a command name. Returns these options, to chain.</summary>
    public SimulatedAgiCallOptions Reply(string command, SimulatedAgiReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Replies[command] = _ => reply;
        return this;
    }

    /// <summary>Sets a computed reply for a command name. Returns these options, to chain.</summary>
    public SimulatedAgiCallOptions Reply(string command, Func<SimulatedAgiCommand, SimulatedAgiReply?> reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        Replies[command] = reply;
        return this;
    }

    internal static int NextSequence() => Interlocked.Increment(ref s_sequence);
}
