namespace PbxModules.Host.Packages.Installing;

/// <summary>
/// What one install or upgrade request fetched: the files downloaded from the feeds and the packages
/// opened from them. Disposing it deletes the downloads and closes the packages, on success and on
/// refusal alike, so a request leaves nothing of them behind.
/// </summary>
internal sealed class InstallSession(Action<string, Exception> deleteFailed) : IAsyncDisposable
{
    private readonly List<string> _downloads = [];
    private readonly List<IModulePackage> _packages = [];

    /// <summary>A file the feeds downloaded for this request, to delete at the end.</summary>
    public void AddDownload(string path) => _downloads.Add(path);

    /// <summary>A package opened for this request, to close at the end (if it holds anything open).</summary>
    public void AddPackage(IModulePackage package) => _packages.Add(package);

    public async ValueTask DisposeAsync()
    {
        // Packages first: one may hold its file open until closed.
        foreach (var package in _packages)
        {
            if (package is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (package is IDisposable disposable) disposable.Dispose();
        }
        foreach (var download in _downloads) IncomingPackages.Delete(download, deleteFailed);
    }
}
