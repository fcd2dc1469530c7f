using System.Text;
using PbxModules.Sdk.Dialplan;

namespace PbxModules.Host.Dialplan;

/// <summary>
/// Renders the contributions of all enabled modules into <c>extensions_modules.conf</c>, in a
/// deterministic order (contributor <c>Order</c>, then module id). Every hook context is always
/// written, even empty, so the PBX's <c>Gosub</c>s and <c>include</c>s never point at nothing.
/// A contribution that clashes with an earlier one (the same context, extension, label or global)
/// is left out whole, with a warning naming both modules; the rest is written.
/// </summary>
public static class DialplanRenderer
{
    private static readonly (DialplanHook Hook, string Context)[] Subroutines =
    [
        (DialplanHook.IncomingBeforeDial, DialplanContexts.IncomingBeforeDial),
        (DialplanHook.IncomingAfterDial, DialplanContexts.IncomingAfterDial),
        (DialplanHook.Outgoing, DialplanContexts.Outgoing),
    ];

    public static RenderedDialplan Render(IEnumerable<DialplanContribution> contributions, IEnumerable<string>? earlierWarnings = null)
    {
        var warnings = new List<string>(earlierWarnings ?? []);
        var accepted = Accept([.. contributions.OrderBy(c => c.Order).ThenBy(c => c.ModuleId, StringComparer.Ordinal)], warnings);
        var blocks = new List<DialplanBlockInfo>();
        var sb = new StringBuilder();
        sb.Append("; extensions_modules.conf: written by pbx-modules from the enabled modules' dialplan hooks.\n");
        sb.Append("; Do not edit: it is rewritten whenever a module is enabled, disabled or reconfigured.\n");
        sb.Append("; See `GET /pbxcore/api/v3/dialplan` for which module wrote each block.\n");

        var globals = accepted.Where(c => c.Builder.Globals.Count > 0).ToList();
        if (globals.Count > 0)
        {
            // (+) appends to the PBX's own [globals] instead of starting a second section Asterisk would ignore.
            sb.Append("\n[globals](+)\n");
            foreach (var c in globals)
            {
                sb.Append("; ").Append(c.ModuleId).Append('\n');
                foreach (var (name, value) in c.Builder.Globals) sb.Append(name).Append('=').Append(value).Append('\n');
                blocks.Add(new(c.ModuleId, "globals", null, c.Order, c.Builder.Globals.Count));
            }
        }

        foreach (var (hook, context) in Subroutines)
        {
            sb.Append('\n').Append('[').Append(context).Append("]\n");
            sb.Append("exten => s,1,NoOp(PbxModules ").Append(context).Append(" ${ARG1})\n");
            if (hook == DialplanHook.IncomingBeforeDial)
            {
                foreach (var stage in Enum.GetValues<IncomingStage>())
                {
                    foreach (var c in accepted)
                    {
                        if (!c.Builder.IncomingBeforeDialStages.TryGetValue(stage, out var lines) || lines.Lines.Count == 0) continue;
                        AppendBlock(sb, c, lines, StageName(stage));
                        blocks.Add(new(c.ModuleId, context, StageName(stage), c.Order, lines.Lines.Count));
                    }
                }
            }
            else
            {
                foreach (var c in accepted)
                {
                    var lines = hook == DialplanHook.IncomingAfterDial ? c.Builder.IncomingAfterDial : c.Builder.Outgoing;
                    if (lines.Lines.Count == 0) continue;
                    AppendBlock(sb, c, lines, null);
                    blocks.Add(new(c.ModuleId, context, null, c.Order, lines.Lines.Count));
                }
            }
            sb.Append(" same => n,Return()\n");
        }

        AppendContexts(sb, blocks, DialplanContexts.Internal, accepted.Select(c => (c, c.Builder.Internal)));
        AppendContexts(sb, blocks, DialplanContexts.InternalTransfer, accepted.Select(c => (c, c.Builder.InternalTransfer)));
        foreach (var c in accepted)
            foreach (var context in c.Builder.Contexts.OrderBy(x => x.Name, StringComparer.Ordinal))
                AppendContexts(sb, blocks, context.Name, [(c, context)]);

        return new RenderedDialplan(sb.ToString(), blocks, warnings);
    }

    private static void AppendBlock(StringBuilder sb, DialplanContribution c, DialplanLines lines, string? stage)
    {
        sb.Append("; ---- ").Append(c.ModuleId).Append(" (order ").Append(c.Order).Append(stage is null ? ")" : $", {stage})").Append('\n');
        foreach (var line in lines.Lines) AppendPriority(sb, line);
    }

    private static void AppendContexts(StringBuilder sb, List<DialplanBlockInfo> blocks, string name, IEnumerable<(DialplanContribution Contribution, DialplanContext Context)> parts)
    {
        sb.Append('\n').Append('[').Append(name).Append("]\n");
        foreach (var (c, context) in parts)
        {
            if (context.Extensions.Count == 0 && context.Includes.Count == 0) continue;
            sb.Append("; ---- ").Append(c.ModuleId).Append('\n');
            foreach (var include in context.Includes) sb.Append("include => ").Append(include).Append('\n');
            var count = context.Includes.Count;
            foreach (var (extension, lines) in context.Extensions)
            {
                var first = true;
                foreach (var line in lines.Lines)
                {
                    if (first)
                    {
                        sb.Append("exten => ").Append(extension).Append(",1");
                        if (line.Label is not null) sb.Append('(').Append(line.Label).Append(')');
                        sb.Append(',').Append(line.RenderBody()).Append('\n');
                        first = false;
                    }
                    else
                    {
                        AppendPriority(sb, line);
                    }
                    count++;
                }
            }
            blocks.Add(new(c.ModuleId, name, null, c.Order, count));
        }
    }

    private static void AppendPriority(StringBuilder sb, DialplanLine line)
    {
        sb.Append(" same => n");
        if (line.Label is not null) sb.Append('(').Append(line.Label).Append(')');
        sb.Append(',').Append(line.RenderBody()).Append('\n');
    }

    private static string StageName(IncomingStage stage) => stage switch
    {
        IncomingStage.PreSystem => "pre-system",
        IncomingStage.System => "system",
        _ => "modules",
    };

    /// <summary>Keeps contributions in order, leaving out one that claims what an earlier one claimed.</summary>
    private static List<DialplanContribution> Accept(List<DialplanContribution> ordered, List<string> warnings)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var accepted = new List<DialplanContribution>();
        foreach (var c in ordered)
        {
            var claims = Claims(c.Builder).ToList();
            var clash = claims.FirstOrDefault(claim => owners.TryGetValue(claim.Key, out var owner) && owner != c.ModuleId);
            if (clash.Key is not null)
            {
                warnings.Add($"Module '{c.ModuleId}' left out of the dialplan: {clash.Description} is also defined by module '{owners[clash.Key]}'. Only one module may define it.");
                continue;
            }
            foreach (var claim in claims) owners[claim.Key] = c.ModuleId;
            accepted.Add(c);
        }
        return accepted;
    }

    private static IEnumerable<(string Key, string Description)> Claims(DialplanBuilder b)
    {
        foreach (var (name, _) in b.Globals) yield return ($"global:{name}", $"global variable '{name}'");
        foreach (var stage in b.IncomingBeforeDialStages.Values)
            foreach (var label in stage.Lines.Select(l => l.Label).OfType<string>())
                yield return ($"label:{DialplanContexts.IncomingBeforeDial}:{label}", $"label '{label}' in [{DialplanContexts.IncomingBeforeDial}]");
        foreach (var label in b.IncomingAfterDial.Lines.Select(l => l.Label).OfType<string>())
            yield return ($"label:{DialplanContexts.IncomingAfterDial}:{label}", $"label '{label}' in [{DialplanContexts.IncomingAfterDial}]");
        foreach (var label in b.Outgoing.Lines.Select(l => l.Label).OfType<string>())
            yield return ($"label:{DialplanContexts.Outgoing}:{label}", $"label '{label}' in [{DialplanContexts.Outgoing}]");
        foreach (var (ext, _) in b.Internal.Extensions) yield return ($"ext:{DialplanContexts.Internal}:{ext}", $"extension '{ext}' in [{DialplanContexts.Internal}]");
        foreach (var (ext, _) in b.InternalTransfer.Extensions) yield return ($"ext:{DialplanContexts.InternalTransfer}:{ext}", $"extension '{ext}' in [{DialplanContexts.InternalTransfer}]");
        foreach (var context in b.Contexts) yield return ($"context:{context.Name}", $"context [{context.Name}]");
    }
}
