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
