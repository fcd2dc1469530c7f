namespace PbxModules.Host.Dialplan;

/// <summary>The outcome of the last dialplan apply, for the API and /healthz.</summary>
/// <param name="Path">The file written.</param>
/// <param name="AppliedAt">When it was last composed (UTC).</param>
/// <param name="Changed">True when the content differed from the file and was written.</param>
/// <param name="Reloaded">True when Asterisk acknowledged <c>dialplan reload</c>.</param>
/// <param name="Error">What went wrong writing or reloading; null when all went well.</param>
public sealed record DialplanApplyStatus(string Path, DateTimeOffset AppliedAt, bool Changed, bool Reloaded, string? Error)
{
    /// <summary>True when <see cref="Error"/> is about the file (it could not be written, the previous one stands), not about Asterisk's reload.</summary>
    public bool WriteFailed { get; init; }
}
