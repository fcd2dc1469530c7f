namespace PbxModules.Host.Text;

/// <summary>
/// Joins sentences for messages an administrator reads. Parts come from many places (exception
/// messages, module reasons, the host's own advice), some ending with a period and some not:
/// putting a period after a part that already has one is what wrote "…against SDK 1.0.0.. The host".
/// Every message built from such parts goes through here, so each sentence ends exactly once.
/// </summary>
internal static class Sentences
{
    /// <summary>The text with exactly one sentence end: as it is when it already ends with '.', '!', '?' or '…', else with a period added.</summary>
    public static string End(string text)
    {
        var trimmed = text.TrimEnd();
        if (trimmed.Length == 0) return trimmed;
        return trimmed[^1] is '.' or '!' or '?' or '…' ? trimmed : trimmed + ".";
    }

    /// <summary>The non-empty parts, each ended as by <see cref="End"/>, separated by one space.</summary>
    public static string Join(params ReadOnlySpan<string?> parts)
    {
        var ended = new List<string>(parts.Length);
        foreach (var part in parts)
            if (!string.IsNullOrWhiteSpace(part)) ended.Add(End(part));
        return string.Join(' ', ended);
    }
}
