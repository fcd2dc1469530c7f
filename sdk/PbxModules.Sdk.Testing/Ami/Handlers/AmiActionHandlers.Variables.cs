namespace PbxModules.Sdk.Testing.Ami.Handlers;

// Getvar/Setvar (global variables) and DBPut/DBGet (the AstDB).
internal sealed partial class AmiActionHandlers
{
    private async Task SetvarAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var variable = action["Variable"];
        if (string.IsNullOrEmpty(variable))
        {
            await Reply(session, action, "Error", ("Message", "No variable specified")).ConfigureAwait(false);
            return;
        }

        var value = action["Value"] ?? string.Empty;
        if (action["Channel"] is null) _pbx.GlobalVariables[variable] = value;
        await Reply(session, action, "Success", ("Message", "Variable Set")).ConfigureAwait(false);
        await _server.SendEventAsync("VarSet", ("Privilege", "dialplan,all"), ("Channel", action["Channel"] ?? "none"),
            ("Uniqueid", "none"), ("Variable", variable), ("Value", value)).ConfigureAwait(false);
    }

    private Task GetvarAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var variable = action["Variable"] ?? string.Empty;
        var value = action["Channel"] is null && _pbx.GlobalVariables.TryGetValue(variable, out var v) ? v : string.Empty;
        return Reply(session, action, "Success", ("Variable", variable), ("Value", value));
    }

    private Task DbPutAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        _pbx.Database[$"{action["Family"]}/{action["Key"]}"] = action["Val"] ?? string.Empty;
        return Reply(session, action, "Success", ("Message", "Updated database successfully"));
    }

    private Task DbGetAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var family = action["Family"] ?? string.Empty;
        var key = action["Key"] ?? string.Empty;
        if (!_pbx.Database.TryGetValue($"{family}/{key}", out var val))
            return Reply(session, action, "Error", ("Message", "Database entry not found"));
        var reply = new SimulatedAmiReply("Success", ("EventList", "start"), ("Message", "Result will follow"));
        reply.FollowingEvents.Add([new("Event", "DBGetResponse"), new("Family", family), new("Key", key), new("Val", val)]);
        reply.FollowingEvents.Add([new("Event", "DBGetComplete"), new("EventList", "Complete"), new("ListItems", "1")]);
        return session.ReplyAsync(action, reply);
    }
}
