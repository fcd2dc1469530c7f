using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PbxModules.Sdk.Testing.Ami.Handlers;

// Challenge and Login (plain or MD5), with the events Asterisk sends on a login.
internal sealed partial class AmiActionHandlers
{
    private Task ChallengeAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        if (!string.Equals(action["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
            return Reply(session, action, "Error", ("Message", "Must specify AuthType"));

        session.Challenge = _server.Options.ChallengeFactory();
        return Reply(session, action, "Success", ("Challenge", session.Challenge));
    }

    private async Task LoginAsync(SimulatedAmiSession session, SimulatedAmiAction action)
    {
        var options = _server.Options;
        var userOk = string.Equals(action["Username"], options.Username, StringComparison.Ordinal);
        bool secretOk;
        if (string.Equals(action["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
        {
            var expected = session.Challenge is null ? null : Md5Hex(session.Challenge + options.Secret);
            secretOk = expected is not null && string.Equals(action["Key"], expected, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            secretOk = string.Equals(action["Secret"], options.Secret, StringComparison.Ordinal);
        }

        if (!userOk || !secretOk)
        {
            // Asterisk sleeps before answering a bad login, then hangs up.
            await Task.Delay(options.FailedLoginDelay).ConfigureAwait(false);
            await session.ReplyAsync(action, new SimulatedAmiReply("Error", ("Message", "Authentication failed")) { CloseAfter = true }).ConfigureAwait(false);
            return;
        }

        session.LoggedIn = true;
        var events = action["Events"];
        if (events is not null) session.EventsOn = !string.Equals(events, "off", StringComparison.OrdinalIgnoreCase);
        await Reply(session, action, "Success", ("Message", "Authentication accepted")).ConfigureAwait(false);
        if (!session.EventsOn) return;
        var uptime = ((int)(DateTimeOffset.UtcNow - _pbx.StartedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await session.TryWriteAsync(SimulatedAmiServer.Frame([
            new("Event", "FullyBooted"), new("Privilege", "system,all"), new("Uptime", uptime),
            new("LastReload", uptime), new("Status", "Fully Booted")])).ConfigureAwait(false);
        var tv = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff+0000", CultureInfo.InvariantCulture);
        await session.TryWriteAsync(SimulatedAmiServer.Frame([
            new("Event", "SuccessfulAuth"), new("Privilege", "security,all"), new("EventTV", tv), new("Severity", "Informational"),
            new("Service", "AMI"), new("EventVersion", "1"), new("AccountID", options.Username),
            new("SessionID", $"0x{session.Id:x12}"), new("LocalAddress", $"IPV4/TCP/127.0.0.1/{_server.Port}"),
            new("RemoteAddress", $"IPV4/TCP/{session.RemoteAddress}"), new("UsingPassword", "0"), new("SessionTV", tv)])).ConfigureAwait(false);
    }

    private static string Md5Hex(string text)
    {
#pragma warning disable CA5351 // MD5 is what the AMI challenge login defines.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
    }
}
