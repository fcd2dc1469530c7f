using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PbxModules.AmiFlood;

// The AMI flood (Contract 1): ours vs the npm asterisk-manager peer on the same pre-rendered flood.
var events = 1_000_000;
var smoke = false;
string? markdown = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
            events = n;
            i++;
            break;
        case "--smoke":
            smoke = true;
            break;
        case "--markdown" when i + 1 < args.Length:
            markdown = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Usage: PbxModules.AmiFlood [--events N] [--smoke] [--markdown FILE]");
            return 2;
    }
}

if (smoke) events = Math.Min(events, 20_000);
var capture = Path.Combine(AppContext.BaseDirectory, "ami_dial_events.recv.raw");
var flood = FloodEvents.Load(capture, events);

// Warm-up (JIT, pools) on a small flood, then the measured run.
await OursRun.RunAsync(FloodEvents.Load(capture, Math.Min(events, 50_000)));
var ours = await OursRun.RunAsync(flood);
var failed = ours.Delivered != events;
var peer = await RunPeerAsync(flood);
failed |= peer is { } p && p.Events != events;

var command = "dotnet bench/PbxModules.AmiFlood/bin/Release/net10.0/PbxModules.AmiFlood.dll" + (smoke ? " --smoke" : "") + $" --events {events}";
var text = new StringBuilder()
    .AppendLine("## AMI flood: events delivered to one subscriber over loopback")
    .AppendLine()
    .AppendLine("```sh").AppendLine(command).AppendLine("```")
    .AppendLine()
    .AppendLine(CultureInfo.InvariantCulture, $"{events:N0} events of a real Asterisk 20 dialled call (fixture `ami_dial_events`, {flood.Bytes.Length / events} bytes/event), written as fast as the socket takes them.")
    .AppendLine()
    .AppendLine("| client | events/s | allocated bytes/event | delivered | dropped |")
    .AppendLine("| --- | ---: | ---: | ---: | ---: |")
    .AppendLine(CultureInfo.InvariantCulture, $"| **ours** (AmiClient → AmiSubscriber queue) | {ours.EventsPerSecond:N0} | {ours.BytesPerEvent:N0} | {ours.Delivered:N0} | {ours.Dropped:N0} |")
    .AppendLine(peer is { } pr
        ? string.Create(CultureInfo.InvariantCulture, $"| npm `asterisk-manager` 0.2.0 | {pr.EventsPerSecond:N0} | n/a | {pr.Events:N0} | n/a |")
        : "| npm `asterisk-manager` 0.2.0 | not run (node or bench/peers/node_modules missing: `npm ci --prefix bench/peers`) | | | |")
    .AppendLine()
    .AppendLine(peer is { } pq
        ? string.Create(CultureInfo.InvariantCulture, $"Ratio ours ÷ peer: **{ours.EventsPerSecond / pq.EventsPerSecond:0.0}×**. Allocations are the whole process's (client, queue and the flood server) divided by the events.")
        : "Ratio ours ÷ peer: not measured (peer not installed).")
    .AppendLine(smoke ? "Smoke run: figures not judged." : "");
Console.Write(text);
if (markdown is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(markdown))!);
    File.WriteAllText(markdown, text.ToString());
}

if (failed) Console.Error.WriteLine($"Wrong count: expected {events}, ours delivered {ours.Delivered} (dropped {ours.Dropped}), peer {peer?.Events}.");
return failed ? 1 : 0;

static async Task<PeerResult?> RunPeerAsync(FloodEvents flood)
{
    var script = FindPeerScript();
    if (script is null) return null;
    await using var server = new FloodServer(flood);
    var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
    start.ArgumentList.Add(script);
    start.ArgumentList.Add(server.Port.ToString(CultureInfo.InvariantCulture));
    start.ArgumentList.Add(flood.Count.ToString(CultureInfo.InvariantCulture));
    Process process;
    try
    {
        process = Process.Start(start)!;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return null;
    }

    using (process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"The asterisk-manager peer failed ({process.ExitCode}): {await stderr}");
        return JsonSerializer.Deserialize<PeerResult>(line, new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
    }
}

static string? FindPeerScript()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var script = Path.Combine(dir.FullName, "bench", "peers", "ami-flood.js");
        if (File.Exists(script) && Directory.Exists(Path.Combine(dir.FullName, "bench", "peers", "node_modules", "asterisk-manager")))
            return script;
    }

    return null;
}

internal sealed record PeerResult(int Events, double Seconds, double EventsPerSecond);
