namespace PbxModules.Sdk.Ami;

/// <summary>An action could not be sent because the AMI connection is down. The client reconnects by itself.</summary>
public sealed class AmiNotConnectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AmiNotConnectedException(string message) : base(message) { }
}
