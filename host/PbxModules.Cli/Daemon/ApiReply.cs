using System.Net;
using System.Text.Json;

namespace PbxModules.Cli.Daemon;

/// <summary>One answer of the daemon's API: the status and the envelope (<c>success</c>, <c>data</c>, <c>messages</c>, <c>pagination</c>).</summary>
internal sealed record ApiReply(HttpStatusCode Status, JsonElement Envelope)
{
    /// <summary>The envelope's <c>data</c> (a <c>null</c> element when absent).</summary>
    public JsonElement Data => Envelope.ValueKind == JsonValueKind.Object && Envelope.TryGetProperty("data", out var data) ? data : default;

    /// <summary>The messages of one kind: <c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public IReadOnlyList<string> Messages(string kind)
    {
        if (Envelope.ValueKind != JsonValueKind.Object || !Envelope.TryGetProperty("messages", out var messages)
            || messages.ValueKind != JsonValueKind.Object || !messages.TryGetProperty(kind, out var list) || list.ValueKind != JsonValueKind.Array)
            return [];
        return [.. list.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)];
    }

    /// <summary>True when the list continues after this page.</summary>
    public bool HasMore => Envelope.ValueKind == JsonValueKind.Object && Envelope.TryGetProperty("pagination", out var page)
        && page.ValueKind == JsonValueKind.Object && page.TryGetProperty("hasMore", out var more) && more.ValueKind == JsonValueKind.True;
}
