using System.Globalization;

namespace PbxModules.Sdk.Ami;

/// <summary>The outcome of an originate: the <c>OriginateResponse</c> event Asterisk sent for it.</summary>
public sealed class AmiOriginateResult
{
    /// <summary>Creates the result from the <c>OriginateResponse</c> event.</summary>
    public AmiOriginateResult(AmiEvent originateResponse)
    {
        ArgumentNullException.ThrowIfNull(originateResponse);
        Event = originateResponse;
        Reason = int.TryParse(originateResponse["Reason"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var reason)
            ? (AmiOriginateReason)reason
            : AmiOriginateReason.Failed;
    }

    /// <summary>The <c>OriginateResponse</c> event.</summary>
    public AmiEvent Event { get; }

    /// <summary>Why the originate ended.</summary>
    public AmiOriginateReason Reason { get; }

    /// <summary>True when the event says <c>Response: Success</c>.</summary>
    public bool IsSuccess => string.Equals(Event["Response"], "Success", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the called channel answered.</summary>
    public bool IsAnswered => IsSuccess && Reason == AmiOriginateReason.Answered;

    /// <summary>The originated channel, e.g. <c>Local/100@from-test-00000000;1</c>; the requested channel on failure.</summary>
    public string? Channel => Event["Channel"];

    /// <summary>The new channel's unique id; <c>&lt;unknown&gt;</c> when no channel was created.</summary>
    public string? UniqueId => Event["Uniqueid"];
}
