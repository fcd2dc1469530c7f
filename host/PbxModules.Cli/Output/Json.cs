using System.Globalization;
using System.Text.Json;

namespace PbxModules.Cli.Output;

/// <summary>Reading the API's records without binding them to types: a field another daemon version adds or drops never breaks a command.</summary>
internal static class Json
{
    /// <summary>The first of <paramref name="names"/> that <paramref name="record"/> has, as text for a cell; empty when none.</summary>
    public static string Text(JsonElement record, params string[] names)
    {
        foreach (var name in names)
        {
            if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                return Format(value);
        }
        return string.Empty;
    }

    /// <summary>The property, or an undefined element.</summary>
    public static JsonElement Get(JsonElement record, string name)
        => record.ValueKind == JsonValueKind.Object && record.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A value as people read it: strings bare, arrays comma-separated, objects as compact JSON.</summary>
    public static string Format(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Format)),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    /// <summary>A timestamp the API wrote, in UTC to the second; the text as it is when it is not one.</summary>
    public static string Time(JsonElement record, string name)
    {
        var text = Text(record, name);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;
    }
}
