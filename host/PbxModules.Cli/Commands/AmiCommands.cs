using System.CommandLine;
using System.Text.Json;
using PbxModules.Cli.Output;

namespace PbxModules.Cli.Commands;

/// <summary><c>ami status</c>: the daemon's AMI connection, from the <c>ami</c> component of <c>/healthz</c>.</summary>
internal static class AmiCommands
{
    public static Command Create(CliContext context)
    {
        var status = new Command("status", "Shows whether the daemon is logged in to Asterisk's AMI, where, since when, and each AMI worker's queue. Exit code 0 when logged in and no events were lost, 1 otherwise.");
        status.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var health = await client.HealthAsync(ct);
            var ami = Json.Get(Json.Get(health, "components"), "ami");
            if (ami.ValueKind != JsonValueKind.Object) throw new CliException("The daemon's /healthz has no 'ami' component; is this a pbx-modules daemon with AMI configured?");
            var state = Json.Text(ami, "status");
            if (output.Json) output.WriteJson(ami);
            else
            {
                output.Line($"AMI: {state}");
                if (Json.Text(ami, "description") is { Length: > 0 } description) output.Line(description);
                var data = Json.Get(ami, "data");
                if (data.ValueKind == JsonValueKind.Object)
                    output.Table(["KEY", "VALUE"], data.EnumerateObject().Select(p => (IReadOnlyList<string>)[p.Name, Json.Format(p.Value)]));
            }
            if (state == "Healthy") return ExitCodes.Ok;
            context.Error.WriteLine($"pbx-modules: AMI is {state}. Check Ami:Host, Ami:Port, Ami:Username and Ami:Secret against Asterisk's manager.conf, and that Asterisk runs; the daemon reconnects by itself.");
            return ExitCodes.Failed;
        }));
        return new Command("ami", "The daemon's connection to Asterisk's manager interface.") { status };
    }
}
