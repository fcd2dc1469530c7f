using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PbxModules.Host.Configuration;
using PbxModules.Host.Packages;
using PbxModules.Host.Packages.Installing;

namespace PbxModules.Host.Tests.Packages.Installing;

/// <summary>Uploads are saved within Modules:MaxPackageBytes while they arrive, and deleted afterwards.</summary>
public sealed class IncomingPackagesTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "pbxmodules-incoming-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private IncomingPackages Incoming(long max) => new(Options.Create(new ModulePackageOptions { MaxPackageBytes = max }), Options.Create(new PathsOptions { Data = _data }), NullLogger<IncomingPackages>.Instance);

    [Fact]
    public async Task An_endless_upload_is_read_only_a_little_past_the_limit_and_nothing_of_it_stays()
    {
        var incoming = Incoming(100_000);
        var endless = new EndlessStream();

        await using var upload = await incoming.SaveAsync(endless, CancellationToken.None);

        Assert.Equal(PackageRefusalCode.TooLarge, upload.Refusal?.Code);
        Assert.Contains("Modules:MaxPackageBytes (100000 bytes)", upload.Refusal!.Message, StringComparison.Ordinal);
        Assert.Null(upload.Path);
        // One byte past the limit, no more: a whole buffer more could take the request past the server's body
        // limit (the package's plus the multipart framing) and answer its generic 413 instead of this refusal.
        Assert.Equal(100_001, endless.BytesRead);
        Assert.Empty(Directory.EnumerateFileSystemEntries(incoming.Directory));
    }

    [Fact]
    public async Task An_upload_within_the_limit_is_saved_under_data_packages_incoming_and_deleted_with_it()
    {
        var incoming = Incoming(1000);
        string path;
        await using (var upload = await incoming.SaveAsync(new MemoryStream(new byte[1000]), CancellationToken.None))
        {
            Assert.Null(upload.Refusal);
            path = upload.Path!;
            Assert.Equal(Path.Combine(_data, "packages", "incoming"), Path.GetDirectoryName(path));
            Assert.EndsWith(".nupkg", path, StringComparison.Ordinal);
            Assert.Equal(1000, new FileInfo(path).Length);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task An_upload_that_breaks_off_leaves_nothing()
    {
        var incoming = Incoming(1_000_000);

        await Assert.ThrowsAsync<IOException>(() => incoming.SaveAsync(new EndlessStream { FailAfter = 10_000 }, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(incoming.Directory));
    }

    [Fact]
    public void Leftovers_of_a_stopped_daemon_uploads_and_downloads_are_deleted()
    {
        var incoming = Incoming(1000);
        Directory.CreateDirectory(incoming.Directory);
        File.WriteAllBytes(Path.Combine(incoming.Directory, "0123.nupkg"), [1, 2, 3]);
        // A download from a feed that a kill -9 interrupted: no request will delete it any more.
        Directory.CreateDirectory(incoming.DownloadsDirectory);
        File.WriteAllBytes(Path.Combine(incoming.DownloadsDirectory, "test-good.1.0.0.0123.nupkg"), [1, 2, 3]);

        incoming.DeleteLeftovers();

        Assert.Empty(Directory.EnumerateFileSystemEntries(incoming.Directory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(incoming.DownloadsDirectory));
    }

    [Fact]
    public void At_start_the_folder_is_made_for_the_daemons_user_only_or_emptied_of_leftovers()
    {
        var incoming = Incoming(1000);

        incoming.PrepareFolder();

        Assert.True(Directory.Exists(incoming.Directory));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(incoming.Directory));
        File.WriteAllBytes(Path.Combine(incoming.Directory, "0123.nupkg"), [1, 2, 3]);
        incoming.PrepareFolder();
        Assert.Empty(Directory.EnumerateFileSystemEntries(incoming.Directory));
    }

    /// <summary>A body that never ends (or breaks off), counting what was read of it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public long? FailAfter { get; init; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (BytesRead >= FailAfter) throw new IOException("The client went away.");
            Array.Fill(buffer, (byte)'x', offset, count);
            BytesRead += count;
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
