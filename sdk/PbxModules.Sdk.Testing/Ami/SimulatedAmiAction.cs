namespace PbxModules.Sdk.Testing.Ami;

/// <summary>An action a client sent to the <see cref="SimulatedAmiServer"/>, as received.</summary>
public sealed class SimulatedAmiAction
{
    internal SimulatedAmiAction(int connectionId, IReadOnlyList<KeyValuePair<string, string>> headers, string rawText, DateTimeOffset receivedAt)
    {
        ConnectionId = connectionId;
        Headers = headers;
        RawText = rawText;
        ReceivedAt = receivedAt;
        Name = this["Action"] ?? string.Empty;
    }

    /// <summary>The action name as sent (<c>Action</c> header; matched case-insensitively by the server).</summary>
    public string Name { get; }

    /// <summary>The headers in wire order, <c>Action</c> and <c>ActionID</c> included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The exact text received for this action, line endings and closing blank line included.</summary>
    public string RawText { get; }

    /// <summary>Which client connection sent it (1 for the first connection the server accepted).</summary>
    public int ConnectionId { get; }

    /// <summary>When it arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The <c>ActionID</c>, when sent.</summary>
    public string? ActionId => this["ActionID"];

    /// <summary>The first value of a header (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var h in Headers)
                if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }
    }

    /// <summary>Every value of a repeated header (e.g. <c>Variable</c>).</summary>
    public IEnumerable<string> GetAll(string name)
        => Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <inheritdoc/>
    public override string ToString() => string.Join(" | ", Headers.Select(h => $"{h.Key}: {h.Value}"));
}
