using System.CommandLine;
using System.Text.Json;
using PbxModules.Cli.Output;

namespace PbxModules.Cli.Commands;

/// <summary><c>dialplan show [--integration] | apply</c>: the file the daemon writes for Asterisk.</summary>
internal static class DialplanCommands
{
    private const string Dialplan = "dialplan";

    public static Command Create(CliContext context)
    {
        var integration = new Option<bool>("--integration") { Description = "Shows only the lines to paste into extensions.conf (the #include and the Gosub of each route)." };
        var show = new Command("show", "Shows extensions_modules.conf as the daemon rendered it, which module wrote each block, and the last apply.") { integration };
        show.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            var reply = await client.SendAsync(HttpMethod.Get, Dialplan, null, ct);
            foreach (var warning in reply.Messages("warning")) output.Warning(warning);
            var data = reply.Data;
            if (parse.GetValue(integration))
            {
                var lines = Json.Get(data, "integration");
                if (output.Json) output.WriteJson(lines);
                else foreach (var line in lines.ValueKind == JsonValueKind.Array ? lines.EnumerateArray() : default) output.Line(Json.Format(line));
                return ExitCodes.Ok;
            }
            if (output.Json)
            {
                output.WriteJson(data);
                return ExitCodes.Ok;
            }
            output.Line($"; {Json.Text(data, "path")}");
            var status = Json.Get(data, "status");
            if (status.ValueKind == JsonValueKind.Object)
            {
                var reloaded = Json.Get(status, "reloaded").ValueKind == JsonValueKind.True ? "reloaded by Asterisk" : "not reloaded by Asterisk yet";
                output.Line($"; applied {Json.Time(status, "appliedAt")}, {reloaded}");
            }
            var blocks = Json.Get(data, "blocks");
            if (blocks.ValueKind == JsonValueKind.Array && blocks.GetArrayLength() > 0)
            {
                output.Line("; blocks:");
                foreach (var block in blocks.EnumerateArray()) output.Line($";   {Json.Text(block, "context", "name")} ← {Json.Text(block, "moduleId", "module")}");
            }
            output.Line();
            var text = Json.Text(data, "text");
            output.Line(text.Length > 0 ? text.TrimEnd() : "; (nothing rendered yet: the daemon writes the file once its modules have started)");
            return ExitCodes.Ok;
        }));

        var apply = new Command("apply", "Renders the dialplan again now, writes the file if it changed and has Asterisk reload it (after a hand edit, or a reload Asterisk missed).");
        apply.SetAction(context.Run(async (parse, output, ct) =>
        {
            using var client = context.Client(parse);
            return CliContext.Report(output, await client.SendAsync(HttpMethod.Post, Dialplan + ":apply", null, ct));
        }));

        return new Command("dialplan", "The dialplan the daemon writes for Asterisk (extensions_modules.conf).") { show, apply };
    }
}
