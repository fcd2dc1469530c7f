using PbxModules.Cli.Output;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Cli.Commands;

/// <summary>What <c>agi call</c> shows: what Asterisk sent, each command and its reply, and how the call ended.</summary>
/// <param name="Endpoint">The FastAGI listener called.</param>
/// <param name="Environment">The <c>agi_*</c> environment sent, in order.</param>
/// <param name="Conversation">Each command of the handler and the channel's reply.</param>
/// <param name="Variables">The channel variables the handler set (PBXMODULES_STATUS and the module's own).</param>
/// <param name="HungUp">True when the handler hung the call up.</param>
/// <param name="HangupCause">The hang-up cause Asterisk would report; null when the channel stayed up.</param>
/// <param name="Continues">Where the dialplan goes on after the AGI (context, extension, priority).</param>
/// <param name="Ended">True when the handler closed the session; false when the CLI stopped waiting.</param>
internal sealed record CallTranscript(
    string Endpoint,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    IReadOnlyList<CallTranscript.Exchange> Conversation,
    IReadOnlyDictionary<string, string> Variables,
    bool HungUp,
    int? HangupCause,
    string Continues,
    bool Ended)
{
    /// <summary>One command and its reply.</summary>
    public sealed record Exchange(string Command, string Reply, bool HangUpBefore, bool HangUpAfter);

    public static CallTranscript From(SimulatedAgiCall call, System.Net.IPEndPoint endPoint, bool ended)
    {
        var (context, extension, priority) = call.DialplanLocation;
        return new CallTranscript(
            endPoint.ToString(),
            call.Environment,
            [.. call.Transcript.Select(e => new Exchange(e.Command.Line, e.Disconnected ? "(connection dropped)" : e.Reply, e.HangUpBefore, e.HangUpAfter))],
            new SortedDictionary<string, string>(call.Variables.Where(v => !call.Options.ChannelVariables.ContainsKey(v.Key)).ToDictionary(v => v.Key, v => v.Value), StringComparer.Ordinal),
            call.IsHungUp,
            call.HangupCause,
            $"{context},{extension},{priority}",
            ended);
    }

    /// <summary>The conversation for people: <c>&gt;&gt;</c> what Asterisk sent, <c>&lt;&lt;</c> what the handler sent.</summary>
    public void Write(CliOutput output)
    {
        output.Line($"Calling agi://{Endpoint}/{Environment.FirstOrDefault(e => e.Key == "agi_network_script").Value}");
        foreach (var (name, value) in Environment) output.Line($">> {name}: {value}");
        output.Line(">>");
        foreach (var exchange in Conversation)
        {
            output.Line($"<< {exchange.Command}");
            if (exchange.HangUpBefore) output.Line(">> HANGUP");
            foreach (var line in exchange.Reply.Split('\n', StringSplitOptions.RemoveEmptyEntries)) output.Line($">> {line}");
            if (exchange.HangUpAfter) output.Line(">> HANGUP");
        }
        output.Line(Ended ? "(the handler closed the session)" : "(no more commands: the CLI stopped waiting)");
        output.Line();
        output.Line(HungUp ? $"The call was hung up (cause {HangupCause?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})." : $"The call goes on in the dialplan at {Continues}.");
        if (Variables.Count == 0)
        {
            output.Line("The handler set no channel variable.");
            return;
        }
        output.Line("Variables set:");
        output.Table(["  NAME", "VALUE"], Variables.Select(v => (IReadOnlyList<string>)["  " + v.Key, v.Value]));
    }
}
