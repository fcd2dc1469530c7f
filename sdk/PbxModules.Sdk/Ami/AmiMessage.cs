namespace PbxModules.Sdk.Ami;

/// <summary>
/// One AMI frame: <c>Key: Value</c> headers in the order Asterisk sent them. Header names are
/// matched case-insensitively (Asterisk writes <c>ActionID</c>, <c>Uniqueid</c>, <c>AMIversion</c>…).
/// A header may repeat (e.g. <c>Output</c>, <c>Variable</c>); the indexer returns the first.
/// </summary>
public class AmiMessage
{
    private readonly KeyValuePair<string, string>[] _headers;

    /// <summary>Creates a message from its headers, in wire order.</summary>
    public AmiMessage(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _headers = [.. headers];
    }

    /// <summary>The headers in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>The first value of a header, or null when absent. Case-insensitive.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var h in _headers)
                if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }
    }

    /// <summary>Every value of a repeated header, in order.</summary>
    public IEnumerable<string> GetAll(string name)
    {
        foreach (var h in _headers)
            if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) yield return h.Value;
    }

    /// <summary>The <c>ActionID</c> header, when present.</summary>
    public string? ActionId => this["ActionID"];

    /// <inheritdoc/>
    public override string ToString() => string.Join(" | ", _headers.Select(h => $"{h.Key}: {h.Value}"));
}
