namespace PbxModules.Cli.Daemon;

/// <summary>
/// Where the daemon is: its Unix socket (the default; callers there are local administrators, no key
/// is sent) or a URL (with the API key of <see cref="CliEnvironment.ApiKeyVariable"/>).
/// </summary>
/// <param name="SocketPath">The socket's absolute path, when talking over the socket.</param>
/// <param name="Url">The daemon's base URL, when talking over TCP.</param>
/// <param name="ApiKey">The key sent with <see cref="Url"/>; null sends none.</param>
internal sealed record DaemonTarget(string? SocketPath, Uri? Url, string? ApiKey)
{
    /// <summary>The daemon's default socket relative to the working directory, as the daemon's own default is (<c>Paths:Data</c> = <c>./var/data</c>).</summary>
    public const string DefaultSocket = "./var/data/pbx-modules.sock";

    /// <summary>The socket of the packaged daemon (packaging/systemd/pbx-modules.service: <c>Paths:Data</c> = <c>/var/lib/pbx-modules/data</c>).</summary>
    public const string PackagedSocket = "/var/lib/pbx-modules/data/pbx-modules.sock";

    /// <summary>
    /// The target the options name: <paramref name="url"/> when given, else <paramref name="socket"/>, else the
    /// environment's socket, else <see cref="DefaultSocket"/> — or, when nothing is there but the packaged
    /// daemon's socket exists, that one.
    /// </summary>
    public static DaemonTarget From(string? socket, string? url, CliEnvironment environment)
    {
        if (url is not null)
        {
            if (socket is not null) throw new CliException("--socket and --url name two daemons: pass one of them.");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new CliException($"--url '{url}' is not an http:// or https:// URL; pass the daemon's Rest:Url, e.g. --url http://127.0.0.1:8090.");
            return new DaemonTarget(null, uri, environment.Get(CliEnvironment.ApiKeyVariable));
        }
        if ((socket ?? environment.Get(CliEnvironment.SocketVariable)) is { } named) return new DaemonTarget(Path.GetFullPath(named), null, null);
        var local = Path.GetFullPath(DefaultSocket);
        return new DaemonTarget(!File.Exists(local) && File.Exists(PackagedSocket) ? PackagedSocket : local, null, null);
    }

    /// <summary>How to name the target in a message.</summary>
    public string Describe() => SocketPath is not null ? $"socket {SocketPath}" : Url!.ToString();
}
