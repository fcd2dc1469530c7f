using System.ComponentModel.DataAnnotations;

namespace PbxModules.Host.Configuration;

/// <summary>The <c>Rest</c> configuration section: the REST API and admin page listener.</summary>
public sealed class RestOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Rest";

    /// <summary>Where the REST API listens. Loopback by default: expose it deliberately.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:8090";

    /// <summary>When true, requests from loopback skip authentication (Development only by default).</summary>
    public bool TrustLoopback { get; set; }
}
