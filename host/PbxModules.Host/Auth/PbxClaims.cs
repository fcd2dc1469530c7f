namespace PbxModules.Host.Auth;

/// <summary>Claim types and scheme names of the API's authentication.</summary>
public static class PbxClaims
{
    /// <summary>The caller's name (user name, API key name, or <c>loopback</c>).</summary>
    public const string Name = "sub";

    /// <summary>One grant per claim (<c>Resource:Action</c>, <c>Resource:*</c>, <c>*</c>).</summary>
    public const string Permission = "perm";

    /// <summary>A role the caller has.</summary>
    public const string Role = "role";

    /// <summary>The login session (refresh-token family) an access token belongs to.</summary>
    public const string Session = "sid";

    /// <summary>How the caller authenticated: <c>user</c>, <c>apikey</c> or <c>loopback</c>.</summary>
    public const string Kind = "kind";
}

/// <summary>Authentication scheme names.</summary>
public static class PbxAuthSchemes
{
    /// <summary>The selector: picks one of the others from the request's headers.</summary>
    public const string Pbx = "Pbx";

    /// <summary>JWT access tokens.</summary>
    public const string Bearer = "Bearer";

    /// <summary>API keys (<c>X-Api-Key</c>, <c>Authorization: ApiKey …</c>, or a 64-hex bearer).</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>Trusted loopback callers (only with <c>Rest:TrustLoopback</c>).</summary>
    public const string Loopback = "Loopback";

    /// <summary>Callers on the daemon's Unix socket (<c>Rest:UnixSocket</c>): local administrators.</summary>
    public const string UnixSocket = "UnixSocket";
}
