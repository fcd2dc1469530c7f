using PbxModules.Host.Dialplan;

namespace PbxModules.Host.Tests.Dialplan;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pbxmodules-atomic-").FullName;

    [Fact]
    public async Task Writes_a_new_file_and_replaces_an_existing_one_without_leaving_temp_files()
    {
        var path = Path.Combine(_directory, "extensions_modules.conf");

        await AtomicFile.WriteAllTextAsync(path, "first\n", CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(path, "second\n", CancellationToken.None);

        Assert.Equal("second\n", await File.ReadAllTextAsync(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task A_failed_replace_keeps_the_old_content_and_removes_the_temp_file()
    {
        // The target is a directory: the rename fails the way a full or read-only disk makes it fail.
        var path = Path.Combine(_directory, "conf");
        Directory.CreateDirectory(path);
        var keep = Path.Combine(path, "inside.txt");
        await File.WriteAllTextAsync(keep, "old");

        await Assert.ThrowsAnyAsync<IOException>(() => AtomicFile.WriteAllTextAsync(path, "new", CancellationToken.None));

        Assert.Equal("old", await File.ReadAllTextAsync(keep));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Reading_a_missing_file_gives_null()
        => Assert.Null(await AtomicFile.ReadAllTextOrNullAsync(Path.Combine(_directory, "missing", "x.conf"), CancellationToken.None));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
