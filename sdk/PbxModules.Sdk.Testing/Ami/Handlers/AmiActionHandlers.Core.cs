using System.Globalization;

namespace PbxModules.Sdk.Testing.Ami.Handlers;

// Command (the CLI), CoreStatus, CoreSettings.
internal sealed partial class AmiActionHandlers
{
    private Task CommandAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var (lines, isError) = _pbx.RunCommand(action["Command"] ?? string.Empty);
        // Asterisk 20: "Command output follows" then one Output header per line, for errors too.
        return session.ReplyAsync(action, new SimulatedAmiReply(isError ? "Error" : "Success",
            [("Message", "Command output follows"), .. lines.Select(l => ("Output", l))]));
    }

    private Task CoreStatusAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var startedAt = _pbx.StartedAt;
        return Reply(session, action, "Success",
            ("CoreStartupDate", startedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("CoreStartupTime", startedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
            ("CoreReloadDate", startedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("CoreReloadTime", startedAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture)),
            ("CoreCurrentCalls", _pbx.ChannelNames.Count.ToString(CultureInfo.InvariantCulture)),
            ("CoreProcessedCalls", "0"));
    }

    private Task CoreSettingsAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var options = _server.Options;
        return Reply(session, action, "Success",
            ("AMIversion", options.AmiVersion), ("AsteriskVersion", options.AsteriskVersion), ("SystemName", string.Empty),
            ("CoreMaxCalls", "0"), ("CoreMaxLoadAvg", "0.000000"), ("CoreRunUser", string.Empty), ("CoreRunGroup", string.Empty),
            ("CoreMaxFilehandles", "0"), ("CoreRealTimeEnabled", "No"), ("CoreCDRenabled", "No"), ("CoreHTTPenabled", "Yes"),
            ("SoundsSearchCustomDir", "No"));
    }
}
