using System.Globalization;

namespace PbxModules.Sdk.Testing.Ami.Handlers;

// CoreShowChannels, Originate (with its OriginateResponse), Hangup, Redirect, QueueAdd.
internal sealed partial class AmiActionHandlers
{
    private Task CoreShowChannelsAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var channels = _pbx.ChannelHeaders;
        var reply = new SimulatedAmiReply("Success", ("EventList", "start"), ("Message", "Channels will follow"));
        foreach (var channel in channels) reply.FollowingEvents.Add([new("Event", "CoreShowChannel"), .. channel]);
        reply.FollowingEvents.Add([new("Event", "CoreShowChannelsComplete"), new("EventList", "Complete"),
            new("ListItems", channels.Count.ToString(CultureInfo.InvariantCulture))]);
        return session.ReplyAsync(action, reply);
    }

    private Task HangupAsync(SimulatedAmiSession session, SimulatedAmiAction action)
        => _pbx.RemoveChannel(action["Channel"] ?? string.Empty)
            ? Reply(session, action, "Success", ("Message", "Channel Hungup"))
            : Reply(session, action, "Error", ("Message", "No such channel"));

    private Task RedirectAsync(SimulatedAmiSession session, SimulatedAmiAction action)
        => _pbx.ChannelNames.Contains(action["Channel"] ?? string.Empty)
            ? Reply(session, action, "Success", ("Message", "Redirect successful"))
            : Reply(session, action, "Error", ("Message", $"Channel does not exist: {action["Channel"]}"));

    private static Task QueueAddAsync(SimulatedAmiSession session, SimulatedAmiAction action)
        => Reply(session, action, "Success", ("Message", "Added interface to queue"));

    private async Task OriginateAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var channel = action["Channel"];
        if (string.IsNullOrEmpty(channel))
        {
            await Reply(session, action, "Error", ("Message", "Channel not specified")).ConfigureAwait(false);
            return;
        }

        var reason = _server.OriginateReason(action);
        var isAsync = string.Equals(action["Async"], "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(action["Async"], "yes", StringComparison.OrdinalIgnoreCase) || action["Async"] == "1";
        if (!isAsync)
        {
            await (reason == 4
                ? Reply(session, action, "Success", ("Message", "Originate successfully queued"))
                : Reply(session, action, "Error", ("Message", "Originate failed"))).ConfigureAwait(false);
            return;
        }

        await Reply(session, action, "Success", ("Message", "Originate successfully queued")).ConfigureAwait(false);
        var uniqueId = reason == 4 ? _pbx.NewUniqueId() : "<unknown>";
        var callerId = ParseCallerId(action["CallerID"]);
        List<KeyValuePair<string, string>> headers = [new("Event", "OriginateResponse"), new("Privilege", "call,all")];
        if (action.ActionId is not null) headers.Add(new("ActionID", action.ActionId));
        headers.Add(new("Response", reason == 4 ? "Success" : "Failure"));
        headers.Add(new("Channel", reason == 4 ? channel + "-00000000;1" : channel));
        if (action["Application"] is { } application)
        {
            headers.Add(new("Application", application));
            headers.Add(new("Data", action["Data"] ?? string.Empty));
        }
        else
        {
            headers.Add(new("Context", action["Context"] ?? string.Empty));
            headers.Add(new("Exten", action["Exten"] ?? string.Empty));
        }

        headers.Add(new("Reason", reason.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("Uniqueid", uniqueId));
        headers.Add(new("CallerIDNum", callerId.Number));
        headers.Add(new("CallerIDName", callerId.Name));
        await _server.SendEventAsync(headers).ConfigureAwait(false);
    }

    private static (string Name, string Number) ParseCallerId(string? callerId)
    {
        if (string.IsNullOrEmpty(callerId)) return ("<unknown>", "<unknown>");
        var open = callerId.IndexOf('<', StringComparison.Ordinal);
        var close = callerId.IndexOf('>', StringComparison.Ordinal);
        if (open < 0 || close < open) return ("<unknown>", callerId.Trim());
        return (callerId[..open].Trim().Trim('"'), callerId[(open + 1)..close]);
    }
}
