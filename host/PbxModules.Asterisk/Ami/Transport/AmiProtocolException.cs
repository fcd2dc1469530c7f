namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>The peer does not speak AMI as expected (wrong banner, HTTP error).</summary>
public sealed class AmiProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AmiProtocolException(string message) : base(message) { }
}
