using System.Globalization;

namespace PbxModules.Sdk.Agi;

/// <summary>
/// One reply from Asterisk to an AGI command: <c>200 result=1 (data) key=value</c>, or an error line
/// (<c>510</c> invalid command, <c>511</c> dead channel, <c>520</c> usage, possibly multi-line).
/// </summary>
public readonly record struct AgiReply
{
    /// <summary>Creates a reply.</summary>
    public AgiReply(int statusCode, long result, string? data, string? extra, string? text)
        : this(statusCode, result, data, extra, text, resultText: null)
    {
    }

    /// <summary>Creates a reply whose result token is not a plain integer (e.g. <c>GET DATA</c> digits <c>0123</c> or <c>*12#</c>).</summary>
    public AgiReply(int statusCode, long result, string? data, string? extra, string? text, string? resultText)
    {
        StatusCode = statusCode;
        Result = result;
        Data = data;
        Extra = extra;
        Text = text;
        ResultText = resultText;
    }

    /// <summary>200 on success; 510, 511 or 520 on errors.</summary>
    public int StatusCode { get; }

    /// <summary>
    /// The number after <c>result=</c> (0 for error replies, and 0 when the token is not an integer:
    /// see <see cref="ResultText"/>).
    /// </summary>
    public long Result { get; }

    /// <summary>
    /// The token after <c>result=</c> as sent, when it is not the plain decimal form of <see cref="Result"/>:
    /// <c>GET DATA</c> answers with the digits themselves (<c>0123</c>, <c>*12#</c>). Null otherwise, so
    /// ordinary replies cost no string; use <see cref="ResultToken"/> to get the token either way.
    /// </summary>
    public string? ResultText { get; }

    /// <summary>The token after <c>result=</c> exactly as Asterisk sent it.</summary>
    public string ResultToken => ResultText ?? Result.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text in parentheses after the result, without them; null when absent (empty when <c>()</c>).</summary>
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

    /// <summary>The reply as Asterisk would have written it (first line only for multi-line replies); for logs and messages.</summary>
    public override string ToString()
    {
        if (!IsSuccess) return Text is null ? StatusCode.ToString(CultureInfo.InvariantCulture) : $"{StatusCode} {Text}";
        var s = $"200 result={ResultToken}";
        if (Data is not null) s += $" ({Data})";
        if (Extra is not null) s += " " + Extra;
        return s;
    }
}
