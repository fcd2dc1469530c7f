namespace PbxModules.Host.Packages.Installing;

/// <summary>
/// An uploaded package saved under <c>&lt;Paths:Data&gt;/packages/incoming</c>, or the refusal of one
/// too large to save. Disposing it deletes the file, whatever the install made of it.
/// </summary>
internal sealed class PackageUpload : IAsyncDisposable
{
    private readonly Action<string, Exception> _deleteFailed;

    internal PackageUpload(string? path, long length, PackageRefusal? refusal, Action<string, Exception> deleteFailed)
    {
        Path = path;
        Length = length;
        Refusal = refusal;
        _deleteFailed = deleteFailed;
    }

    /// <summary>The saved <c>.nupkg</c>; null when refused.</summary>
    public string? Path { get; }

    /// <summary>How many bytes were saved.</summary>
    public long Length { get; }

    /// <summary>Why the upload was not saved (too large); null when it was.</summary>
    public PackageRefusal? Refusal { get; }

    public ValueTask DisposeAsync()
    {
        if (Path is not null) IncomingPackages.Delete(Path, _deleteFailed);
        return ValueTask.CompletedTask;
    }
}
