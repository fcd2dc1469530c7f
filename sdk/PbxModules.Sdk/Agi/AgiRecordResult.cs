namespace PbxModules.Sdk.Agi;

/// <summary>What <c>RECORD FILE</c> reports.</summary>
/// <param name="Digit">The escape digit that stopped the recording, when <see cref="Reason"/> is <see cref="AgiRecordEnd.Dtmf"/>.</param>
/// <param name="Reason">Why recording stopped.</param>
/// <param name="EndPosition">The length recorded, in samples (<c>endpos=</c>).</param>
public readonly record struct AgiRecordResult(char? Digit, AgiRecordEnd Reason, long EndPosition);
