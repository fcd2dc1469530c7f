namespace PbxModules.Host.Packages.Feeds;

/// <summary>
/// A write-only stream over a file that refuses to grow past a limit: a download larger than
/// <c>Modules:MaxPackageBytes</c> is stopped at the first byte over it, whatever the feed said its size was.
/// </summary>
internal sealed class BoundedWriteStream(Stream inner, long limit) : Stream
{
    /// <summary>Bytes written so far.</summary>
    public long Written { get; private set; }

    /// <summary>True once a write would have gone past the limit (nothing of that write was kept).</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Admit(buffer.Length);
        inner.Write(buffer);
        Written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Admit(buffer.Length);
        await inner.WriteAsync(buffer, cancellationToken);
        Written += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Admit(int count)
    {
        if (Written + count <= limit) return;
        Exceeded = true;
        throw new PackageTooLargeException(limit);
    }

    /// <summary>Thrown into the copy that tried to write past the limit, to stop it.</summary>
    internal sealed class PackageTooLargeException(long limit) : IOException($"The package is larger than {limit} bytes.");
}
