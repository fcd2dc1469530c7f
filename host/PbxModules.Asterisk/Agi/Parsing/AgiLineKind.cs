namespace PbxModules.Asterisk.Agi.Parsing;

/// <summary>What one line read after the environment turned out to be.</summary>
internal enum AgiLineKind
{
    /// <summary>A line inside a multi-line reply that is not finished yet.</summary>
    Partial,
    /// <summary>The last (or only) line of a reply.</summary>
    Reply,
    /// <summary>The bare <c>HANGUP</c> line Asterisk sends when the caller hangs up.</summary>
    Hangup,
}
