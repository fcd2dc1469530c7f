using System.IO.Hashing;

namespace PbxModules.Host.Packages.Verification;

/// <summary>
/// Copies entry content while counting it against <c>Modules:MaxExpandedBytes</c>: a zip declares each
/// entry's size, but the declaration can lie (a zip bomb), so what counts is what the decompressor yields.
/// Uploads are saved through it too (against <c>Modules:MaxPackageBytes</c>): it never reads more than one byte past the limit.
/// </summary>
internal static class ExpandedBytes
{
    private const int BufferSize = 81920;

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="target"/> (or only counts it when null), adding to
    /// <paramref name="total"/>, and feeds every byte copied to <paramref name="checksum"/> when given; stops as soon as the total would exceed <paramref name="limit"/>.
    /// </summary>
    /// <returns>The new total, or null when the limit was reached (the target then holds part of the entry).</returns>
    public static async Task<long?> CopyAsync(Stream source, Stream? target, long total, long limit, CancellationToken cancellationToken, Crc32? checksum = null)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            // Never ask for more than one byte past the limit: that byte alone proves the package too large.
            var wanted = (int)Math.Min(buffer.Length, limit - total + 1);
            var read = await source.ReadAsync(buffer.AsMemory(0, wanted), cancellationToken);
            if (read == 0) return total;
            total += read;
            if (total > limit) return null;
            checksum?.Append(buffer.AsSpan(0, read));
            if (target is not null)
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }
}
