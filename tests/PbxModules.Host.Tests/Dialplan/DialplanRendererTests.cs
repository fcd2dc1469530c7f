using PbxModules.Host.Dialplan;
using PbxModules.Sdk.Dialplan;

namespace PbxModules.Host.Tests.Dialplan;

public sealed class DialplanRendererTests
{
    private const string Agi = "agi://127.0.0.1:4573";

    [Fact]
    public void With_no_module_every_hook_context_is_still_written_and_subroutines_return()
    {
        var text = DialplanRenderer.Render([]).Text;

        foreach (var context in new[] { "modules-incoming-before-dial", "modules-incoming-after-dial", "modules-outgoing", "modules-internal", "modules-internal-transfer" })
            Assert.Contains($"[{context}]\n", text, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(text, " same => n,Return()\n"));
        Assert.DoesNotContain("[globals]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocks_are_ordered_by_order_then_module_id_and_stages_run_pre_system_first()
    {
        var late = Builder("module-b");
        late.IncomingBeforeDial(IncomingStage.PreSystem).Add("NoOp", "b-pre");
        var early = Builder("module-c");
        early.IncomingBeforeDial(IncomingStage.Module).Add("NoOp", "c-module");
        var tie = Builder("module-a");
        tie.IncomingBeforeDial(IncomingStage.PreSystem).Add("NoOp", "a-pre");
        tie.IncomingBeforeDial(IncomingStage.System).Add("NoOp", "a-system");

        var rendered = DialplanRenderer.Render([new("module-b", 100, late), new("module-c", 10, early), new("module-a", 100, tie)]);

        var text = rendered.Text;
        var positions = new[] { "NoOp(a-pre)", "NoOp(b-pre)", "NoOp(a-system)", "NoOp(c-module)", "Return()" }
            .Select(s => text.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(
            [("module-a", "pre-system"), ("module-b", "pre-system"), ("module-a", "system"), ("module-c", "modules")],
            rendered.Blocks.Where(b => b.Context == "modules-incoming-before-dial").Select(b => (b.ModuleId, b.Stage!)));
    }

    [Fact]
    public void An_extension_claimed_by_two_modules_leaves_the_later_module_out_with_a_warning_naming_both()
    {
        var first = Builder("module-a");
        first.Internal.Extension("*30").Add("AGI", $"{Agi}/module-a/add");
        var second = Builder("module-b");
        second.Internal.Extension("*30").Add("AGI", $"{Agi}/module-b/add");
        second.Outgoing.Add("NoOp", "b-outgoing");

        var rendered = DialplanRenderer.Render([new("module-b", 500, second), new("module-a", 500, first)]);

        Assert.Contains("module-a/add", rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("module-b", rendered.Text, StringComparison.Ordinal);
        var warning = Assert.Single(rendered.Warnings);
        Assert.Contains("'module-b'", warning, StringComparison.Ordinal);
        Assert.Contains("'module-a'", warning, StringComparison.Ordinal);
        Assert.Contains("*30", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Extensions_labels_includes_globals_and_module_contexts_render_as_Asterisk_reads_them()
    {
        var b = Builder("module-black-list");
        b.SetGlobal("BLACKLIST_FAILMODE", "open");
        b.IncomingBeforeDial(IncomingStage.PreSystem)
            .Add("AGI", b.AgiUrl("check") + ",${ARG1}")
            .Raw("GotoIf($[\"${BLACKLISTED}\" = \"1\"]?blocked)")
            .AddLabeled("blocked", "Hangup", "21");
        b.Internal.Include("module-black-list-codes");
        b.Internal.Extension("*30").Add("AGI", b.AgiUrl("add"));
        b.Context("codes").Extension("_*31X.").AddLabeled("start", "AGI", b.AgiUrl("remove")).Add("Hangup");

        var text = DialplanRenderer.Render([new("module-black-list", 100, b)]).Text;

        Assert.Contains("[globals](+)\n; module-black-list\nBLACKLIST_FAILMODE=open\n", text, StringComparison.Ordinal);
        Assert.Contains(" same => n,AGI(agi://127.0.0.1:4573/module-black-list/check\\,${ARG1})\n", text, StringComparison.Ordinal);
        Assert.Contains(" same => n,GotoIf($[\"${BLACKLISTED}\" = \"1\"]?blocked)\n", text, StringComparison.Ordinal);
        Assert.Contains(" same => n(blocked),Hangup(21)\n", text, StringComparison.Ordinal);
        Assert.Contains("[modules-internal]\n; ---- module-black-list\ninclude => module-black-list-codes\nexten => *30,1,AGI(agi://127.0.0.1:4573/module-black-list/add)\n", text, StringComparison.Ordinal);
        Assert.Contains("[module-black-list-codes]\n; ---- module-black-list\nexten => _*31X.,1(start),AGI(agi://127.0.0.1:4573/module-black-list/remove)\n same => n,Hangup()\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_the_same_contributions_twice_gives_the_same_text()
    {
        DialplanContribution[] Make()
        {
            var a = Builder("module-a");
            a.Outgoing.Add("Set", "X=1");
            var b = Builder("module-b");
            b.Outgoing.Add("Set", "Y=2");
            return [new("module-b", 1, b), new("module-a", 1, a)];
        }

        Assert.Equal(DialplanRenderer.Render(Make()).Text, DialplanRenderer.Render(Make()).Text);
    }

    private static DialplanBuilder Builder(string moduleId) => new(moduleId, Agi);

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
