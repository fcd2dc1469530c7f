namespace PbxModules.Sdk.Testing.Agi;

/// <summary>How a scripted hang-up (<see cref="SimulatedAgiCallOptions.HangUpOnCommand"/>) reaches the AGI server.</summary>
public enum SimulatedHangup
{
    /// <summary><c>HANGUP</c> arrives before the command's reply (the caller hung up while it ran).</summary>
    BeforeReply,
    /// <summary><c>HANGUP</c> follows the command's reply.</summary>
    AfterReply,
    /// <summary>The connection closes instead of the reply, without <c>HANGUP</c> (Asterisk died).</summary>
    Disconnect,
}
