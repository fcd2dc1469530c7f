using System.Globalization;
using PbxModules.Sdk.Ami;

namespace PbxModules.Asterisk.Ami;

/// <summary>
/// In-band connection markers. A subscriber created with <c>includeConnectionEvents: true</c> gets,
/// in its own queue and in order with the real events, a synthetic event named
/// <see cref="ConnectedEventName"/> each time the client logs in: everything after it belongs to
/// that connection. That is how a worker runs <see cref="IAmiWorker.OnConnectedAsync"/> before any
/// event of a new connection. These events bypass the subscription's filters; Asterisk never sends one.
/// </summary>
public static class AmiConnectionEvents
{
    /// <summary>The name of the marker event.</summary>
    public const string ConnectedEventName = "PbxModules.Connected";

    /// <summary>True when the event is a connection marker rather than an Asterisk event.</summary>
    public static bool IsConnectedMarker(AmiEvent amiEvent)
        => amiEvent is not null && string.Equals(amiEvent.Name, ConnectedEventName, StringComparison.Ordinal);

    internal static AmiEvent Create(int connectionNumber) => new(
    [
        new("Event", ConnectedEventName),
        new("ConnectionNumber", connectionNumber.ToString(CultureInfo.InvariantCulture)),
        new("Reconnect", connectionNumber > 1 ? "true" : "false"),
    ]);
}
