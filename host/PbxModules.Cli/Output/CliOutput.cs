using System.Text.Encodings.Web;
using System.Text.Json;

namespace PbxModules.Cli.Output;

/// <summary>
/// Where a command writes: people get tables and sentences on standard output, warnings and errors on
/// standard error; with <c>--json</c>, standard output holds only the JSON (the API's <c>data</c>).
/// </summary>
internal sealed class CliOutput(TextWriter output, TextWriter error, bool json)
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when <c>--json</c> was given.</summary>
    public bool Json { get; } = json;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Writes <paramref name="data"/> as indented JSON.</summary>
    public void WriteJson(JsonElement data) => Out.WriteLine(data.ValueKind == JsonValueKind.Undefined ? "null" : JsonSerializer.Serialize(data, Indented));

    /// <summary>Writes <paramref name="value"/> as indented JSON.</summary>
    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>A line for people (nothing with <c>--json</c>).</summary>
    public void Line(string text = "")
    {
        if (!Json) Out.WriteLine(text);
    }

    /// <summary>A warning, on standard error (also with <c>--json</c>: it is not part of the data).</summary>
    public void Warning(string text) => Error.WriteLine("warning: " + text);

    /// <summary>
    /// Writes a listing: with <c>--json</c> the records as the API gave them; otherwise a table of
    /// <paramref name="row"/> of each, or <paramref name="whenEmpty"/> (what to do) when there is none.
    /// </summary>
    public int List(IReadOnlyList<JsonElement> records, string whenEmpty, IReadOnlyList<string> headers, Func<JsonElement, IReadOnlyList<string>> row)
    {
        if (Json) WriteJson(records);
        else if (records.Count == 0) Line(whenEmpty);
        else Table(headers, records.Select(row));
        return ExitCodes.Ok;
    }

    /// <summary>Writes <paramref name="rows"/> under <paramref name="headers"/>, each column as wide as its widest cell.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new List<IReadOnlyList<string>> { headers };
        table.AddRange(rows.Select(r => (IReadOnlyList<string>)[.. r.Select(Cell)]));
        var widths = headers.Select((_, i) => table.Max(r => i < r.Count ? r[i].Length : 0)).ToArray();
        foreach (var row in table)
        {
            var cells = row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]));
            Out.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }

    // A cell is one line: a multi-line reason would break the columns.
    private static string Cell(string text) => text.ReplaceLineEndings(" ");
}
