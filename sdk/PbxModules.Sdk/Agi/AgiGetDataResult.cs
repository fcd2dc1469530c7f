namespace PbxModules.Sdk.Agi;

/// <summary>What <c>GET DATA</c> reports.</summary>
/// <param name="Digits">The digits entered, possibly empty.</param>
/// <param name="TimedOut">True when the caller stopped entering digits before the maximum (<c>(timeout)</c>).</param>
public readonly record struct AgiGetDataResult(string Digits, bool TimedOut);
