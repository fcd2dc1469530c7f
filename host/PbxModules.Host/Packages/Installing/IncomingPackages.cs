using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;

namespace PbxModules.Host.Packages.Installing;

/// <summary>
/// Saves uploaded packages to <c>&lt;Paths:Data&gt;/packages/incoming/&lt;random&gt;.nupkg</c> while they
/// arrive, never more than <c>Modules:MaxPackageBytes</c> of them: an upload that goes past the limit
/// is not read further, and its part on disk is deleted at once. Uploads only live for one request,
/// so the folder's leftovers (a daemon killed during an upload) are deleted at start, and so are the feeds' downloads.
/// </summary>
internal sealed partial class IncomingPackages(IOptions<ModulePackageOptions> options, IOptions<PathsOptions> paths, ILogger<IncomingPackages> logger)
{
    /// <summary>The folder of the uploads in progress.</summary>
    public string Directory => Path.Combine(paths.Value.DataFullPath, "packages", "incoming");

    /// <summary>Saves <paramref name="source"/> to a new file; the answer's <see cref="PackageUpload.Refusal"/> is set (and nothing is left) when it is larger than the limit.</summary>
    public async Task<PackageUpload> SaveAsync(Stream source, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPackageBytes;
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".nupkg");
        var saved = false;
        try
        {
            long length = 0;
            var tooLarge = false;
            // Readable by the daemon's user only: a package is trusted only once verified.
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var file = new FileStream(path, fileOptions))
            {
                // Never reads more than one byte past the limit (ExpandedBytes.CopyAsync asks for no more): a read
                // of a whole buffer could take the request past the server's own body limit (the package's plus the
                // multipart framing) first. When the server's limit comes first all the same (a fast client), the
                // request's reader turns it into this refusal (Rest/ModuleInstallEndpoints.ReadFormAsync).
                var copied = await Verification.ExpandedBytes.CopyAsync(source, file, 0, max, cancellationToken);
                tooLarge = copied is null;
                length = copied ?? 0;
            }
            if (tooLarge)
                return new PackageUpload(null, 0, new PackageRefusal(PackageRefusalCode.TooLarge, TooLargeMessage(max)), DeleteFailed);
            saved = true;
            return new PackageUpload(path, length, null, DeleteFailed);
        }
        finally
        {
            if (!saved) Delete(path, DeleteFailed);
        }
    }

    /// <summary>The message of an upload larger than <paramref name="max"/> bytes.</summary>
    public static string TooLargeMessage(long max)
        => $"The package is larger than Modules:MaxPackageBytes ({max} bytes) and was not read further. Send a smaller package, or raise Modules:MaxPackageBytes if the module really is that large.";

    /// <summary>The folder of the feeds' downloads (<see cref="Feeds.ModuleFeeds.DownloadFolder"/>), which, like uploads, live for one request.</summary>
    public string DownloadsDirectory => Path.Combine(paths.Value.DataFullPath, Feeds.ModuleFeeds.DownloadFolder);

    /// <summary>
    /// Creates the folder (the daemon's user only), or deletes what uploads and downloads a stopped daemon left behind. At start,
    /// so that an upload, refused or not, leaves the data folder as it found it.
    /// </summary>
    public void PrepareFolder()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
            else System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return;
        }
        DeleteLeftovers();
    }

    /// <summary>Deletes what uploads and downloads a stopped daemon left behind.</summary>
    public void DeleteLeftovers()
    {
        foreach (var folder in new[] { Directory, DownloadsDirectory })
        {
            if (!System.IO.Directory.Exists(folder)) continue;
            foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*.nupkg"))
            {
                LogLeftover(logger, file);
                Delete(file, DeleteFailed);
            }
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it exists; a failure is reported, not thrown, as it must not hide the answer.</summary>
    internal static void Delete(string path, Action<string, Exception> failed)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed(path, ex);
        }
    }

    private void DeleteFailed(string path, Exception exception) => LogDeleteFailed(logger, exception, path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The package file {Path} could not be deleted. Delete it by hand; it is not installed and nothing uses it.")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleting {Path}, left by an upload or a download the daemon did not finish (it was stopped).")]
    private static partial void LogLeftover(ILogger logger, string path);
}
