using PbxModules.Cli.Output;

namespace PbxModules.Cli.Tests.Output;

/// <summary>Tables for people: each column as wide as its widest cell, one line per row.</summary>
public sealed class CliOutputTests
{
    [Fact]
    public void Columns_are_aligned_and_a_multi_line_cell_stays_on_its_row()
    {
        using var output = new StringWriter();
        new CliOutput(output, TextWriter.Null, json: false).Table(["ID", "STATE", "NOTE"],
        [
            ["a", "Enabled", ""],
            ["a-much-longer-id", "Failed", "line one\nline two"],
        ]);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ID                STATE    NOTE", "a                 Enabled", "a-much-longer-id  Failed   line one line two"], lines);
    }

    [Fact]
    public void With_json_lines_for_people_are_not_written()
    {
        using var output = new StringWriter();
        var cli = new CliOutput(output, TextWriter.Null, json: true);
        cli.Line("for people");
        cli.WriteJson(new { Id = "x" });
        Assert.Equal("{\n  \"id\": \"x\"\n}", output.ToString().Trim().ReplaceLineEndings("\n"));
    }
}
