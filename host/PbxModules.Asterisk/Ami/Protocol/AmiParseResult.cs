namespace PbxModules.Asterisk.Ami.Protocol;

/// <summary>What <see cref="AmiFrameParser.TryRead"/> found in the buffer.</summary>
internal enum AmiParseResult
{
    /// <summary>No complete frame yet: read more bytes and call again.</summary>
    NeedMoreData,

    /// <summary>A complete frame.</summary>
    Frame,

    /// <summary>The banner line (<c>Asterisk Call Manager/x.y.z</c>) that opens a TCP session.</summary>
    Banner,

    /// <summary>A line that is not <c>Key: Value</c>; it was skipped, the frame goes on without it.</summary>
    MalformedLine,

    /// <summary>A frame grew past the size limit; it is being discarded up to its closing blank line.</summary>
    OversizedFrame,
}
