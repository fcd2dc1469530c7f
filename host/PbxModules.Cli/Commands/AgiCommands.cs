using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using PbxModules.Sdk.Testing.Agi;

namespace PbxModules.Cli.Commands;

/// <summary>
/// <c>agi call &lt;module&gt;/&lt;handler&gt;</c>: places a simulated call on the daemon's FastAGI port, as
/// Asterisk's <c>AGI(agi://host:port/module/handler,…)</c> would, answers each command as a channel does
/// (the replies of a real Asterisk 20, from the SDK's simulated Asterisk), and prints the conversation
/// and the variables the handler set: why a call was, or was not, blocked.
/// </summary>
internal static class AgiCommands
{
    /// <summary>Asterisk's FastAGI default port, and the daemon's <c>Agi:Port</c> default.</summary>
    public const int DefaultPort = 4573;

    public static Command Create(CliContext context)
    {
        var route = new Argument<string>("route") { Description = "The AGI route, module/handler as in the dialplan's agi://…/module/handler (a ?query may follow), e.g. module-black-list/check." };
        var callerId = new Option<string?>("--callerid") { Description = "The caller's number (agi_callerid); default withheld (unknown), as Asterisk sends an anonymous caller." };
        var callerName = new Option<string?>("--callername") { Description = "The caller's name (agi_calleridname); default unknown." };
        var did = new Option<string?>("--did") { Description = "The dialled number of the incoming route (agi_dnid), also passed as the first AGI argument as the daemon's dialplan does (${EXTEN})." };
        var extension = new Option<string>("--extension") { Description = "The extension that runs AGI (agi_extension): s in the daemon's Gosub contexts, the feature code for a feature-code route.", DefaultValueFactory = _ => "s" };
        var arguments = new Option<string[]>("--arg") { Description = "An AGI argument (agi_arg_N; repeatable), after the --did one." };
        var host = new Option<string>("--host") { Description = "The FastAGI listener's address (Agi:Address).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "The FastAGI listener's port (Agi:Port).", DefaultValueFactory = _ => DefaultPort };
        var call = new Command("call", "Places a simulated call on the daemon's FastAGI port and prints the conversation line by line, then the channel variables the handler set.")
        {
            route, callerId, callerName, did, extension, arguments, host, port,
        };
        call.SetAction(context.Run(async (parse, output, ct) =>
        {
            var script = parse.GetValue(route)!.TrimStart('/');
            if (!script.Contains('/', StringComparison.Ordinal)) throw new CliException($"'{script}' is not module/handler (e.g. module-black-list/check).");
            if (!IPAddress.TryParse(parse.GetValue(host), out var address)) throw new CliException($"--host '{parse.GetValue(host)}' is not an IP address; pass the daemon's Agi:Address, e.g. 127.0.0.1.");
            var agiPort = parse.GetValue(port);
            if (agiPort is < 1 or > 65535) throw new CliException($"--port {agiPort} is not a TCP port.");
            var dialled = parse.GetValue(did);
            var options = new SimulatedAgiCallOptions
            {
                Script = script,
                CallerId = parse.GetValue(callerId),
                CallerIdName = parse.GetValue(callerName),
                Dnid = dialled,
                Extension = parse.GetValue(extension)!,
                Context = "from-pbx-modules-cli",
                Arguments = [.. (dialled is null ? [] : new[] { dialled }), .. parse.GetValue(arguments) ?? []],
            };
            var endPoint = new IPEndPoint(address, agiPort);
            var seconds = parse.GetValue(GlobalOptions.Timeout);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(seconds > 0 ? seconds : 120));

            SimulatedAgiCall placed;
            try
            {
                placed = await SimulatedAgiCall.ConnectAsync(endPoint, options, deadline.Token);
            }
            catch (SocketException ex)
            {
                throw new CliException($"Is pbx-modules running? Nothing answers on FastAGI {endPoint} ({ex.Message}). Start it, or pass --host and --port of its Agi:Address and Agi:Port.", ExitCodes.Unreachable);
            }
            await using (placed)
            {
                var ended = true;
                try
                {
                    await placed.Completion.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    ended = false;
                }
                var result = CallTranscript.From(placed, endPoint, ended);
                if (output.Json) output.WriteJson(result);
                else result.Write(output);
                if (ended) return ExitCodes.Ok;
                context.Error.WriteLine($"pbx-modules: the handler did not end the call within {seconds} s (it may wait for a key press or a timeout of its own); the conversation so far is above. Pass --timeout to wait longer.");
                return ExitCodes.Failed;
            }
        }));
        return new Command("agi", "The daemon's FastAGI routes, as Asterisk calls them.") { call };
    }
}
