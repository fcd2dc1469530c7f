namespace PbxModules.Sdk.Agi;

/// <summary>
/// The peer broke the AGI protocol: a line that is not an AGI reply, a reply nobody asked for, a line
/// longer than the configured limit. The session is closed; later commands throw <see cref="AgiHangupException"/>.
/// </summary>
public sealed class AgiProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AgiProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public AgiProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
