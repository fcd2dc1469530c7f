namespace PbxModules.Asterisk.Ami.Transport;

/// <summary>Asterisk refused the login.</summary>
public sealed class AmiAuthenticationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AmiAuthenticationException(string message) : base(message) { }
}
