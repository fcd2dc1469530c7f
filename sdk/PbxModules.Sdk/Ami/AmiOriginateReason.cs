namespace PbxModules.Sdk.Ami;

/// <summary>The <c>Reason</c> of an <c>OriginateResponse</c> (Asterisk's control frame codes).</summary>
public enum AmiOriginateReason
{
    /// <summary>The call could not be placed (no such channel, context or extension…).</summary>
    Failed = 0,

    /// <summary>The remote end hung up.</summary>
    Hangup = 1,

    /// <summary>Local ring.</summary>
    Ring = 2,

    /// <summary>Ringing, not answered before the time-out.</summary>
    Ringing = 3,

    /// <summary>Answered.</summary>
    Answered = 4,

    /// <summary>Busy.</summary>
    Busy = 5,

    /// <summary>Congestion.</summary>
    Congestion = 8,
}
