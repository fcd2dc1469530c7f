namespace PbxModules.Asterisk.Ami;

/// <summary>A change of <see cref="AmiClient.State"/>.</summary>
public sealed class AmiConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public AmiConnectionStateChangedEventArgs(AmiConnectionState previous, AmiConnectionState current, int connectionNumber, string? reason)
    {
        Previous = previous;
        Current = current;
        ConnectionNumber = connectionNumber;
        Reason = reason;
    }

    /// <summary>The state before.</summary>
    public AmiConnectionState Previous { get; }

    /// <summary>The new state.</summary>
    public AmiConnectionState Current { get; }

    /// <summary>How many times the client has logged in so far (1 for the first connection).</summary>
    public int ConnectionNumber { get; }

    /// <summary>True when the client is connected again after having been connected before: workers should resynchronise.</summary>
    public bool IsReconnect => Current == AmiConnectionState.Connected && ConnectionNumber > 1;

    /// <summary>Why the connection went down or could not be made; null otherwise.</summary>
    public string? Reason { get; }
}
