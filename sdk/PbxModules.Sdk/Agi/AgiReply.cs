namespace PbxModules.Sdk.Agi;

/// <summary>
/// One reply from Asterisk to an AGI command: <c>200 result=1 (data) key=value</c>, or an error line
/// (<c>510</c> invalid command, <c>511</c> dead channel, <c>520</c> usage, possibly multi-line).
/// </summary>
public readonly record struct AgiReply
{
    /// <summary>Creates a reply.</summary>
    public AgiReply(int statusCode, long result, string? data, string? extra, string? text)
    {
        StatusCode = statusCode;
        Result = result;
        Data = data;
        Extra = extra;
        Text = text;
    }

    /// <summary>200 on success; 510, 511 or 520 on errors.</summary>
    public int StatusCode { get; }

    /// <summary>The number after <c>result=</c> (0 for error replies).</summary>
    public long Result { get; }

    /// <summary>The text in parentheses after the result, without them; null when absent.</summary>
    public string? Data { get; }

    /// <summary>Anything after the result and data, e.g. <c>endpos=1234</c>; null when absent.</summary>
    public string? Extra { get; }

    /// <summary>The human text of an error reply (all lines of a 520 usage, joined by newlines); null on 200.</summary>
    public string? Text { get; }

    /// <summary>True for a 200 reply.</summary>
    public bool IsSuccess => StatusCode == 200;

    /// <summary>Returns the value of <c>key=value</c> in <see cref="Extra"/>, or null.</summary>
    public string? GetExtra(string key)
    {
        if (Extra is null) return null;
        foreach (var part in Extra.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part.AsSpan(0, eq).Equals(key, StringComparison.OrdinalIgnoreCase))
                return part[(eq + 1)..];
        }
        return null;
    }
}
