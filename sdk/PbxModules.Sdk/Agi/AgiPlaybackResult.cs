namespace PbxModules.Sdk.Agi;

/// <summary>What a playback command (<c>STREAM FILE</c>, <c>CONTROL STREAM FILE</c>, <c>GET OPTION</c>) reports.</summary>
/// <param name="Digit">The escape digit the caller pressed, or null when playback ran to its end (or timed out).</param>
/// <param name="EndPosition">Where playback stopped, in samples (<c>endpos=</c>); usable as an offset to resume.</param>
public readonly record struct AgiPlaybackResult(char? Digit, long EndPosition);
