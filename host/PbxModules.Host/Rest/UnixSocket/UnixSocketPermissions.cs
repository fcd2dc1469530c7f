using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.Rest.UnixSocket;

/// <summary>
/// Gives the REST socket its mode, 0660, once Kestrel has bound it (bind creates the file with the
/// process's umask; the data folder, the owner's alone, guards it until then), and removes the file
/// when the daemon stops, so that a daemon that is not running leaves no socket to connect to.
/// </summary>
internal sealed class UnixSocketPermissions(IOptions<RestOptions> rest, IOptions<PathsOptions> paths) : IHostedLifecycleService
{
    private readonly string? _path = RestUnixSocket.PathOf(rest.Value, paths.Value);
    private bool _bound;

    // Started runs after every StartAsync, the server's (which binds the listeners) included.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // No file: the host runs without Kestrel (a test server), so there is no socket to protect.
        if (_path is null || OperatingSystem.IsWindows() || !File.Exists(_path)) return Task.CompletedTask;
        File.SetUnixFileMode(_path, RestUnixSocket.Mode);
        _bound = true;
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Only the socket this daemon bound: a start refused because another daemon listens there must leave that one's alone.
        if (_bound && File.Exists(_path)) File.Delete(_path!);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
