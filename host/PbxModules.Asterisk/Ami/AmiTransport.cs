namespace PbxModules.Asterisk.Ami;

/// <summary>How the AMI client talks to Asterisk.</summary>
public enum AmiTransport
{
    /// <summary>The AMI TCP socket (<c>manager.conf</c>, port 5038).</summary>
    Tcp,

    /// <summary>AMI over Asterisk's HTTP server (AJAM: <c>rawman</c> / <c>arawman</c>, events by <c>waitevent</c>).</summary>
    Http,
}
