using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PbxModules.LoadGen;

/// <summary>How one session ended.</summary>
/// <param name="Commands">Commands the daemon sent.</param>
/// <param name="Blacklisted">The value of <c>SET VARIABLE BLACKLISTED</c> (null when not set).</param>
/// <param name="Status">The value of <c>SET VARIABLE PBXMODULES_STATUS</c> (null when not set).</param>
internal readonly record struct SessionOutcome(int Commands, char? Blacklisted, string? Status);

/// <summary>
/// A lean Asterisk for FastAGI: connects, sends the <c>agi_*</c> environment as Asterisk 20 does (the
/// fixture calls' variables), answers every command <c>200 result=1</c> and waits for the daemon to
/// close the session. Lean on purpose: the client shares the machine with the daemon, so it should
/// cost as little as possible (the test kit's SimulatedAgiCall records and simulates much more).
/// </summary>
internal static class FastAgiCaller
{
    private static readonly byte[] Reply = "200 result=1\n"u8.ToArray();

    /// <summary>The environment Asterisk sends for <c>AGI(agi://127.0.0.1:port/script,did)</c>.</summary>
    public static byte[] Environment(int port, string script, string callerId, string did, int sequence)
    {
        var channel = $"PJSIP/trunk-{sequence:x8}";
        var text = new StringBuilder()
            .Append("agi_network: yes\n")
            .Append("agi_network_script: ").Append(script).Append('\n')
            .Append("agi_request: agi://127.0.0.1:").Append(port).Append('/').Append(script).Append('\n')
            .Append("agi_channel: ").Append(channel).Append('\n')
            .Append("agi_language: en\nagi_type: PJSIP\n")
            .Append("agi_uniqueid: 1795389903.").Append(sequence).Append('\n')
            .Append("agi_version: 20.20.1\n")
            .Append("agi_callerid: ").Append(callerId).Append('\n')
            .Append("agi_calleridname: Load Gen\nagi_callingpres: 0\nagi_callingani2: 0\nagi_callington: 0\nagi_callingtns: 0\n")
            .Append("agi_dnid: ").Append(did).Append('\n')
            .Append("agi_rdnis: unknown\nagi_context: from-trunk\nagi_extension: ").Append(did).Append('\n')
            .Append("agi_priority: 2\nagi_enhanced: 0.0\nagi_accountcode: \nagi_threadid: 140652026910400\n")
            .Append("agi_arg_1: ").Append(did).Append('\n')
            .Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Runs one session to its end (the daemon closes the connection).</summary>
    public static async Task<SessionOutcome> RunAsync(IPEndPoint endPoint, byte[] environment, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint, cancellationToken);
        await socket.SendAsync(environment, SocketFlags.None, cancellationToken);
        var buffer = new byte[2048];
        var filled = 0;
        var commands = 0;
        char? blacklisted = null;
        string? status = null;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0) break;
            filled += read;
            var start = 0;
            int replies = 0;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, filled - start);
                if (newline < 0) break;
                Inspect(buffer.AsSpan(start, newline - start), ref blacklisted, ref status);
                start = newline + 1;
                commands++;
                replies++;
            }
            if (start > 0)
            {
                Array.Copy(buffer, start, buffer, 0, filled - start);
                filled -= start;
            }
            if (filled == buffer.Length) throw new InvalidOperationException("A command longer than 2 KiB.");
            // One command at a time in FastAGI, so normally one reply per read.
            for (var i = 0; i < replies; i++)
                await socket.SendAsync(Reply, SocketFlags.None, cancellationToken);
        }
        return new SessionOutcome(commands, blacklisted, status);
    }

    private static void Inspect(ReadOnlySpan<byte> line, ref char? blacklisted, ref string? status)
    {
        if (line.StartsWith("SET VARIABLE BLACKLISTED "u8))
        {
            var value = line["SET VARIABLE BLACKLISTED "u8.Length..].Trim((byte)'"');
            if (value.Length > 0) blacklisted = (char)value[0];
        }
        else if (line.StartsWith("SET VARIABLE PBXMODULES_STATUS "u8))
        {
            status = Encoding.ASCII.GetString(line["SET VARIABLE PBXMODULES_STATUS "u8.Length..].Trim((byte)'"'));
        }
    }
}
