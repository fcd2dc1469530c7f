using System.ComponentModel.DataAnnotations;

namespace PbxModules.Host.Rest;

/// <summary>The <c>Rest</c> configuration section: the REST API and admin page listener.</summary>
public sealed class RestOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Rest";

    /// <summary>Where the REST API listens. Loopback by default: expose it deliberately.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:8090";

    /// <summary>
    /// The Unix socket the REST API also listens on, for the local <c>pbx-modules</c> CLI: its callers
    /// are trusted as administrators (mode 0660 and the data folder's own permissions decide who can
    /// connect). Null (the default): <c>&lt;Paths:Data&gt;/pbx-modules.sock</c>; an empty string: no socket.
    /// </summary>
    public string? UnixSocket { get; set; }

    /// <summary>When true, requests from loopback skip authentication (Development only by default).</summary>
    public bool TrustLoopback { get; set; }

    /// <summary>The default largest request body of a <c>/pbxcore/api/v3</c> route (1 MB); the auth endpoints take 4 KB, and a module endpoint may declare its own limit.</summary>
    [Range(typeof(long), "1024", "1073741824", ErrorMessage = "Rest:MaxJsonBodyBytes must be between 1024 and 1073741824 bytes.")]
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;
}
