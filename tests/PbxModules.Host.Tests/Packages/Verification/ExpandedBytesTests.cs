using PbxModules.Host.Packages.Verification;

namespace PbxModules.Host.Tests.Packages.Verification;

/// <summary>
/// The count that does not trust an entry's declared size. (.NET's zip reader itself stops an entry at
/// its declared size, so a package cannot show this; a stream longer than its declaration can.)
/// </summary>
public sealed class ExpandedBytesTests
{
    [Fact]
    public async Task Stops_at_the_limit_without_writing_past_it()
    {
        using var source = new MemoryStream(new byte[1024 * 1024]);
        using var target = new MemoryStream();

        var total = await ExpandedBytes.CopyAsync(source, target, total: 1000, limit: 300_000, CancellationToken.None);

        Assert.Null(total);
        Assert.True(target.Length <= 299_000, $"wrote {target.Length} bytes");
        Assert.True(source.Position <= 300_000, $"read {source.Position} bytes");
    }

    [Fact]
    public async Task Copies_everything_and_adds_it_to_the_total_within_the_limit()
    {
        var content = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        using var source = new MemoryStream(content);
        using var target = new MemoryStream();

        var total = await ExpandedBytes.CopyAsync(source, target, total: 100_000, limit: 300_000, CancellationToken.None);

        Assert.Equal(300_000, total);
        Assert.Equal(content, target.ToArray());
    }

    [Fact]
    public async Task Only_counts_when_there_is_no_target()
    {
        using var source = new MemoryStream(new byte[5000]);

        Assert.Equal(5000, await ExpandedBytes.CopyAsync(source, target: null, total: 0, limit: 5000, CancellationToken.None));
    }
}
