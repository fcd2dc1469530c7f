namespace PbxModules.Asterisk.Ami;

/// <summary>Where the AMI connection stands.</summary>
public enum AmiConnectionState
{
    /// <summary><see cref="AmiClient.StartAsync"/> has not been called.</summary>
    NotStarted,

    /// <summary>Connecting and logging in.</summary>
    Connecting,

    /// <summary>Logged in; actions can be sent.</summary>
    Connected,

    /// <summary>Connection lost or refused; a reconnect is scheduled.</summary>
    Disconnected,

    /// <summary>Stopped by <see cref="AmiClient.StopAsync"/>; no reconnect.</summary>
    Stopped,
}

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
