using System.ComponentModel.DataAnnotations;
using PbxModules.Asterisk.Ami.Protocol;

namespace PbxModules.Asterisk.Ami;

/// <summary>How the AMI client reaches Asterisk. Bound from the <c>Ami</c> configuration section.</summary>
public sealed class AmiClientOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ami";

    /// <summary><see cref="AmiTransport.Tcp"/> (port 5038) or <see cref="AmiTransport.Http"/> (AJAM on Asterisk's HTTP server).</summary>
    public AmiTransport Transport { get; set; } = AmiTransport.Tcp;

    /// <summary>AMI host for TCP.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>AMI port for TCP.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 5038;

    /// <summary>Base URL of Asterisk's HTTP manager (the prefix before <c>rawman</c>), for HTTP.</summary>
    [Required]
    public Uri HttpUrl { get; set; } = new("http://127.0.0.1:8088/asterisk/");

    /// <summary>
    /// HTTP authentication: <see cref="AmiHttpAuthentication.Cookie"/> (<c>rawman</c>, <c>action=login</c>,
    /// session cookie) or <see cref="AmiHttpAuthentication.Digest"/> (<c>arawman</c>, HTTP Digest).
    /// </summary>
    public AmiHttpAuthentication HttpAuthentication { get; set; } = AmiHttpAuthentication.Cookie;

    /// <summary>AMI user (<c>manager.conf</c> section).</summary>
    [Required]
    public string Username { get; set; } = "admin";

    /// <summary>AMI secret. Never logged.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Over TCP, log in with the MD5 <c>Challenge</c> so the secret never crosses the wire. Default true.</summary>
    public bool UseChallengeLogin { get; set; } = true;

    /// <summary>
    /// When set, sent as the <c>Events</c> header of <c>Login</c> (e.g. <c>on</c>, <c>off</c>, <c>call,system</c>)
    /// to choose which event classes Asterisk sends. Null keeps the user's <c>read</c> permissions.
    /// </summary>
    public string? EventMask { get; set; }

    /// <summary>Time-out of a TCP connect plus banner, or of the first HTTP request.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Default time-out of an action's answer (an action's own <see cref="Sdk.Ami.AmiAction.Timeout"/> wins).</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap of the reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a <c>Ping</c> checks that Asterisk is alive; zero disables it. Over HTTP this also keeps
    /// the session cookie (<c>Max-Age=60</c>) from expiring, so keep it well under a minute.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a keepalive <c>Ping</c> may take before the peer is declared dead and the connection reset.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While disconnected, false (default) makes <c>SendAsync</c> fail fast with
    /// <see cref="Sdk.Ami.AmiNotConnectedException"/>; true makes it wait for the connection, up to the action's time-out.
    /// </summary>
    public bool WaitForConnection { get; set; }

    /// <summary>Largest accepted frame; a larger one is logged and discarded.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxFrameBytes { get; set; } = AmiFrameParser.DefaultMaxFrameBytes;

    /// <summary>How long one HTTP <c>waitevent</c> long-poll lasts (Asterisk's <c>timeout</c> parameter).</summary>
    public TimeSpan HttpEventWaitTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How far back a subscriber's (a module worker's) dropped events count for health: the <c>ami</c> health
    /// component is Degraded while any subscriber dropped an event within this window. Default 1 min.
    /// </summary>
    public TimeSpan SubscriberDropWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The shortest time between two "events lost" warnings of one subscriber; drops in between are
    /// summed into the next warning. Default 10 s.
    /// </summary>
    public TimeSpan SubscriberDropWarningInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Prefix of generated <c>ActionID</c>s, followed by a counter from 1. Null (default) uses a random
    /// per-client prefix, so answers meant for another client or an earlier run never match.
    /// </summary>
    public string? ActionIdPrefix { get; set; }

    /// <summary>The endpoint as text, for logs and health (never contains credentials).</summary>
    public string Endpoint => Transport == AmiTransport.Tcp ? $"{Host}:{Port}" : HttpUrl.GetLeftPart(UriPartial.Path);
}
