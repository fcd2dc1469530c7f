namespace PbxModules.Sdk.Agi;

/// <summary>What a playback command (<c>STREAM FILE</c>, <c>CONTROL STREAM FILE</c>, <c>GET OPTION</c>) reports.</summary>
/// <param name="Digit">The escape digit the caller pressed, or null when playback ran to its end (or timed out).</param>
/// <param name="EndPosition">Where playback stopped, in samples (<c>endpos=</c>); usable as an offset to resume.</param>
public readonly record struct AgiPlaybackResult(char? Digit, long EndPosition);

/// <summary>What <c>GET DATA</c> reports.</summary>
/// <param name="Digits">The digits entered, possibly empty.</param>
/// <param name="TimedOut">True when the caller stopped entering digits before the maximum (<c>(timeout)</c>).</param>
public readonly record struct AgiGetDataResult(string Digits, bool TimedOut);

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

/// <summary>What <c>RECORD FILE</c> reports.</summary>
/// <param name="Digit">The escape digit that stopped the recording, when <see cref="Reason"/> is <see cref="AgiRecordEnd.Dtmf"/>.</param>
/// <param name="Reason">Why recording stopped.</param>
/// <param name="EndPosition">The length recorded, in samples (<c>endpos=</c>).</param>
public readonly record struct AgiRecordResult(char? Digit, AgiRecordEnd Reason, long EndPosition);
