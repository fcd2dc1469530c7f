namespace PbxModules.Sdk.Agi;

/// <summary>The state <c>CHANNEL STATUS</c> reports (Asterisk's <c>ast_channel_state</c>).</summary>
public enum AgiChannelStatus
{
    /// <summary>A named channel does not exist (<c>result=-1</c>).</summary>
    NotFound = -1,
    /// <summary>The channel is down and available.</summary>
    Down = 0,
    /// <summary>The channel is down, but reserved.</summary>
    Reserved = 1,
    /// <summary>The channel is off hook.</summary>
    OffHook = 2,
    /// <summary>Digits (or equivalent) have been dialed.</summary>
    Dialing = 3,
    /// <summary>The line is ringing (an inbound call not yet answered).</summary>
    Ring = 4,
    /// <summary>The remote end is ringing.</summary>
    Ringing = 5,
    /// <summary>The line is up (answered).</summary>
    Up = 6,
    /// <summary>The line is busy.</summary>
    Busy = 7,
    /// <summary>Digits have been dialed while off hook.</summary>
    DialingOffHook = 8,
    /// <summary>The channel has detected an incoming call and is waiting for ring.</summary>
    PreRing = 9,
}
