namespace PbxModules.Sdk.Agi;

/// <summary>Why <c>RECORD FILE</c> stopped.</summary>
public enum AgiRecordEnd
{
    /// <summary>The reply named no reason.</summary>
    Unknown = 0,
    /// <summary>The maximum time or the silence limit was reached.</summary>
    Timeout,
    /// <summary>The caller pressed an escape digit.</summary>
    Dtmf,
    /// <summary>The caller hung up while recording.</summary>
    Hangup,
    /// <summary>Asterisk could not write the file.</summary>
    WriteError,
}
