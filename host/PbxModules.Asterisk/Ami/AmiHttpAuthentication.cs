namespace PbxModules.Asterisk.Ami;

/// <summary>How the HTTP transport authenticates.</summary>
public enum AmiHttpAuthentication
{
    /// <summary><c>rawman?action=login</c>, then the <c>mansession_id</c> cookie.</summary>
    Cookie,

    /// <summary><c>arawman</c> with HTTP Digest (MD5, <c>qop=auth</c>) on every request.</summary>
    Digest,
}
