using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModuleBlackList.Settings;

/// <summary>
/// The settings as a JSON document for REST: PUT needs every field (<see cref="ReadWhole"/>), PATCH
/// is a JSON merge patch (RFC 7396, <see cref="Merge"/>) of the current settings. Validation of the
/// values stays in one place, <see cref="BlackListService.UpdateSettingsAsync"/>; this only turns a
/// body into a <see cref="BlackListSettings"/> and names the fields it cannot.
/// </summary>
public static class SettingsDocument
{
    /// <summary>The settings' JSON (camelCase, as GET answers and the module stores them).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every field of the settings, by its JSON name.</summary>
    public static readonly IReadOnlyList<string> Fields = [.. typeof(BlackListSettings).GetProperties().Where(p => p.CanWrite).Select(p => Json.PropertyNamingPolicy!.ConvertName(p.Name))];

    /// <summary>A PUT body: an object with every field; the settings, or the messages by field.</summary>
    public static (BlackListSettings? Settings, Dictionary<string, string[]>? Errors) ReadWhole(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) return (null, NotAnObject(body));
        var names = body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = Fields.Where(f => !names.Contains(f)).ToList();
        if (missing.Count > 0)
            return (null, missing.ToDictionary(f => f, _ => (string[])["is required: PUT replaces the whole settings, so send every field (GET gives them), or change only some with PATCH."]));
        var nulls = body.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Null && Fields.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (nulls.Count > 0)
            return (null, nulls.ToDictionary(p => p.Name, _ => (string[])["must have a value; PUT does not reset fields (PATCH with null does)."]));
        return Deserialize(body);
    }

    /// <summary>
    /// A PATCH body applied to <paramref name="current"/> as a JSON merge patch (RFC 7396): a field
    /// named changes, a field left out stays, a field set to <c>null</c> goes back to its default
    /// (the RFC's "remove", for settings that always have a value), and a list is replaced whole.
    /// </summary>
    public static (BlackListSettings? Settings, Dictionary<string, string[]>? Errors) Merge(BlackListSettings current, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object) return (null, NotAnObject(patch));
        var document = JsonSerializer.SerializeToNode(current, Json)!.AsObject();
        foreach (var property in patch.EnumerateObject())
        {
            // Match the stored name whatever the case the client used, as deserialising does.
            var name = document.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase)) ?? property.Name;
            if (property.Value.ValueKind == JsonValueKind.Null) document.Remove(name);
            else document[name] = JsonNode.Parse(property.Value.GetRawText());
        }
        return Deserialize(document.Deserialize<JsonElement>(Json));
    }

    private static (BlackListSettings?, Dictionary<string, string[]>?) Deserialize(JsonElement body)
    {
        try
        {
            return (body.Deserialize<BlackListSettings>(Json) ?? new BlackListSettings(), null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('[')[0] : "";
            return (null, new() { [field] = [$"has the wrong type or value: {ex.Message.Split(". ")[0]}."] });
        }
    }

    private static Dictionary<string, string[]> NotAnObject(JsonElement body)
        => new() { [""] = [$"The body must be a JSON object of settings; got {body.ValueKind}."] };
}
